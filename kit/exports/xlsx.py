"""The spreadsheet export (.xlsx): the CSV's rows and columns in a real spreadsheet file.

A CSV cannot say which cells are text, so Excel and LibreOffice guess: "31.1.2027" becomes a
date, "=1+1" a formula unless it carries an apostrophe, and a double-click may even ignore the
BOM and the separator. Here every cell has its type: user text is a string cell as typed (no
formula, no date or number guessing, no apostrophe), counts are numbers. Two sheets: ratings
and dots (with each area's ballot count), and comments and action items; the header row is
frozen and the columns are as wide as their contents, within reason.

Written with XlsxWriter (see pyproject.toml for why).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import IO

from kit.exports.csvfile import COMMENTS, VOTES, header, rows
from kit.i18n import t
from kit.report import Report

MIN_WIDTH, MAX_WIDTH = 6, 60  # characters; longer text wraps inside its cell


def write(report: Report, target: str | Path | IO[bytes], lang: str | None = None) -> None:
    """Write the workbook to a path or a binary file object."""
    import xlsxwriter
    import xlsxwriter.exceptions

    lang = lang or report.meta.lang
    # Every cell is written with its own type below; these make sure nothing else guesses.
    workbook = xlsxwriter.Workbook(target, {
        "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        "in_memory": True,
    })
    try:
        bold = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True,
                                    "valign": "top"})
        text = workbook.add_format({"text_wrap": True, "valign": "top"})
        number = workbook.add_format({"valign": "top"})
        titles = header(lang)
        all_rows = rows(report, lang)
        for name, kinds in (("xlsx.sheet.votes", VOTES), ("xlsx.sheet.comments", COMMENTS)):
            sheet = workbook.add_worksheet(t(name, lang)[:31])
            body = [cells for kind, cells in all_rows if kind in kinds]
            for col, title in enumerate(titles):
                sheet.write_string(0, col, title, bold)
            for row, cells in enumerate(body, start=1):
                for col, cell in enumerate(cells):
                    if isinstance(cell, int):
                        sheet.write_number(row, col, cell, number)
                    elif cell:
                        sheet.write_string(row, col, cell, text)
            for col, title in enumerate(titles):
                sheet.set_column(col, col, _width([title, *(cells[col] for cells in body)]))
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(len(body), 1), len(titles) - 1)
    except BaseException:
        with contextlib.suppress(Exception):
            workbook.close()
        raise
    try:
        workbook.close()
    except xlsxwriter.exceptions.FileCreateError as exc:  # it wraps the OSError
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise OSError(str(exc)) from None


def _width(values: list[str | int]) -> int:
    """A column as wide as its longest line (+2 for the filter button), within limits."""
    longest = max((len(line) for value in values for line in str(value).splitlines() or [""]),
                  default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))
