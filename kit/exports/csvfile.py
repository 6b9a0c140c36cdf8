"""The CSV export: one long table a spreadsheet can filter and pivot, comments included.

Finnish spreadsheets expect `;` between fields (the comma is the decimal mark), English ones
`,`. The file starts with a UTF-8 byte-order mark so Excel reads the letters right. Any text
cell that a spreadsheet could take for a formula gets a leading apostrophe: a CSV has no
way to say "this is text", so the apostrophe shows in the cell. The .xlsx export
(kit/exports/xlsx.py) has the same rows with every text typed as text, and needs none.
"""

from __future__ import annotations

import csv
import io

from kit.i18n import t
from kit.report import Report
from kit.session import comment_area
from kit.view import group_name

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str | int:
    """A cell that opens as text, never as a formula, in Excel and LibreOffice."""
    if isinstance(value, int):
        return value
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


COLUMNS = ("kind", "area", "practice_id", "practice", "group", "level", "count", "tag",
           "text", "who", "due")
# The kinds of row (the first column), as `rows` gives them; the spreadsheet splits by these.
VOTES, COMMENTS = ("rating", "dots", "ballot_count"), ("comment", "action")


def header(lang: str) -> list[str]:
    return [t(f"csv.{c}", lang) for c in COLUMNS]


def rows(report: Report, lang: str) -> list[tuple[str, list[str | int]]]:
    """Every row of the export as plain values (no apostrophes), each with its kind."""
    deck = report.deck
    groups = report.meta.groups
    ballot_name = t("csv.ballots", lang)
    out: list[tuple[str, list[str | int]]] = []

    def row(kind: str, *cells: str | int) -> None:
        out.append((kind, [t(f"csv.{kind}", lang), *cells]))

    for area in report.areas:
        area_name = area.area.title(lang)
        for result in area.practices:
            card, text = result.practice.card_id, result.practice.text(lang)
            for who, counts in (*((g.name, result.groups[g.id].counts) for g in groups),
                                (ballot_name, result.ballots.counts)):
                for level in deck.scale:
                    if counts[level.id]:
                        row("rating", area_name, card, text, who, level.label(lang),
                            counts[level.id], "", "", "", "")
            for who, n in (*((g.name, result.group_dots[g.id]) for g in groups),
                           (ballot_name, result.ballot_dots)):
                if n:
                    row("dots", area_name, card, text, who, "", n, "", "", "", "")
        row("ballot_count", area_name, "", "", ballot_name, "", area.ballots, "", "", "", "")
    for comment in report.comments:
        area_id = comment_area(deck, comment)
        practice = deck.practice(comment.practice_id) if comment.practice_id else None
        row("comment", deck.area(area_id).title(lang) if area_id else "",
            practice.card_id if practice else "", practice.text(lang) if practice else "",
            "" if comment.group_id is None else group_name(report.meta, comment.group_id, lang),
            "", "", t(f"tag.{comment.tag}", lang), comment.text, "", "")
    for action in report.actions:
        practice = deck.practice(action.practice_id) if action.practice_id else None
        row("action", deck.area(practice.area_id).title(lang) if practice else "",
            practice.card_id if practice else "", practice.text(lang) if practice else "", "",
            "", "", "", action.what, action.who, action.due)
    return out


def dumps(report: Report, lang: str | None = None) -> str:
    lang = lang or report.meta.lang
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "fi" else ",", lineterminator="\r\n")
    writer.writerow(header(lang))
    for _kind, cells in rows(report, lang):
        writer.writerow([safe_cell(c) for c in cells])
    return "\ufeff" + out.getvalue()
