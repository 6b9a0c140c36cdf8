"""The .xlsx export read back with openpyxl: the CSV's rows, every user text a string as
typed (no formula, no date, no apostrophe), counts as numbers, header frozen, widths that fit."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kit.deck import Deck
from kit.demo import create_demo
from kit.exports import csvfile, xlsx
from kit.exports.files import available_formats, write_exports
from kit.report import build_report
from kit.store import Store

TRICKY = ["=1+1", '=HYPERLINK("http://example.invalid";"klikkaa")', "+49 123", "-2+3",
          "@SUM(A1)", "31.1.2027", "helmikuu 2027", "1/2", "0012", "1e5", "TRUE", "12:30",
          "1,5", "https://example.invalid", "'lainaus", "rivi 1\nrivi 2"]


@pytest.fixture
def tricky(store: Store, deck: Deck) -> Store:
    session = store.create_session(deck, groups=["=cmd|' /C calc'!A0", "31.1.2027"])
    handle = store.session(session)
    for text in TRICKY:
        handle.add_comment(text, "idea", practice_id="os-kuunteleminen", group_id=2)
        handle.add_action(text, text, text)
    handle.record_rating(1, "os-kuunteleminen", "hyvin", 3)
    handle.record_dots(2, "os-kuunteleminen", 2)
    return store


def _book(store: Store, lang: str = "fi") -> openpyxl.Workbook:
    buffer = io.BytesIO()
    xlsx.write(build_report(store.snapshot(store.resolve("latest"))), buffer, lang)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def _csv_rows(store: Store, lang: str = "fi") -> list[list[str]]:
    text = csvfile.dumps(build_report(store.snapshot(store.resolve("latest"))), lang)
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";" if lang == "fi" else ","))


def _values(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_user_text_is_a_string_as_typed_and_counts_are_numbers(tricky: Store) -> None:
    book = _book(tricky)
    assert book.sheetnames == ["arviot ja pisteet", "kommentit ja toimenpiteet"]
    votes, notes = book.worksheets
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type in ("s", "n"), (cell.coordinate, cell.data_type, cell.value)
                assert cell.data_type != "f"
                if cell.data_type == "n" and cell.value is not None:  # None: an empty cell
                    assert type(cell.value) is int, cell.coordinate
    header = [c.value for c in notes[1]]
    text, who, due, group = (header.index(name) for name in ("teksti", "kuka", "mihin mennessä",
                                                             "ryhmä"))
    comments = [row for row in _values(notes)[1:] if row[0] == "kommentti"]
    actions = [row for row in _values(notes)[1:] if row[0] == "toimenpide"]
    assert [row[text] for row in comments] == TRICKY
    assert [row[group] for row in comments] == ["31.1.2027"] * len(TRICKY)
    typed = [(a.what, a.who, a.due) for a in tricky.snapshot(tricky.resolve("latest")).actions]
    assert typed[0] == ("=1+1",) * 3 and len(typed) == len(TRICKY)  # one line each, as stored
    assert [(row[text], row[who], row[due]) for row in actions] == typed
    rating = next(row for row in _values(votes)[1:] if row[0] == "arvio")
    assert rating[header.index("ryhmä")] == "=cmd|' /C calc'!A0"
    assert rating[header.index("määrä")] == 3


def test_same_columns_and_rows_as_the_csv(store: Store) -> None:
    create_demo(store)
    book = _book(store, "en")
    rows = _csv_rows(store, "en")
    header, body = rows[0], rows[1:]
    votes, notes = (_values(sheet) for sheet in book.worksheets)
    assert votes[0] == notes[0] == header

    def as_csv(row: list[object]) -> list[str]:
        return ["" if v is None else str(v) for v in row]

    kinds = {"rating", "dots", "ballots"}
    assert [as_csv(r) for r in votes[1:]] == [r for r in body if r[0] in kinds]
    assert [as_csv(r) for r in notes[1:]] == [r for r in body if r[0] not in kinds]
    assert len(votes) > 50 and len(notes) > 10


def test_header_frozen_and_columns_fit(tricky: Store) -> None:
    for sheet in _book(tricky).worksheets:
        widths = {}  # a <col> element may cover several columns of the same width
        for dimension in sheet.column_dimensions.values():
            for index in range(dimension.min, dimension.max + 1):
                widths[index] = dimension.width
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        for column in sheet.iter_cols():
            letter = column[0].column_letter
            width = widths[column[0].column]
            longest = max(len(line) for cell in column if cell.value is not None
                          for line in str(cell.value).splitlines())
            assert min(longest, xlsx.MAX_WIDTH - 2) <= width <= xlsx.MAX_WIDTH, (letter, width)
            if longest > xlsx.MAX_WIDTH:
                assert all(cell.alignment.wrap_text for cell in column[1:] if cell.value)


def test_the_export_screen_and_the_cli_write_it(store: Store, tmp_path: Path,
                                                data_dir: Path) -> None:
    session = create_demo(store)
    assert "xlsx" in available_formats()
    [path] = write_exports(store.snapshot(session), [], tmp_path / "uusi", ["xlsx"], "fi")
    assert path.name.endswith(".xlsx") and not list(path.parent.glob(".*part"))
    assert openpyxl.load_workbook(path).sheetnames[1] == "kommentit ja toimenpiteet"
    store.close()
    out = tmp_path / "cli.xlsx"
    result = subprocess.run([sys.executable, "-m", "kit", "export", "latest", "--format",
                             "xlsx", "-o", str(out)], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    piped = subprocess.run([sys.executable, "-m", "kit", "export", "latest", "--format",
                            "xlsx"], capture_output=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout[:2] == b"PK"
    assert openpyxl.load_workbook(io.BytesIO(piped.stdout)).sheetnames == \
        openpyxl.load_workbook(out).sheetnames


def test_to_a_terminal_it_asks_for_a_file_name(store: Store, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str],
                                              data_dir: Path) -> None:
    from kit import cli

    create_demo(store)
    store.close()
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli.main(["export", "latest", "--format", "xlsx"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == ("tyopaja: taulukkotiedosto ei tulostu päätteelle: anna "
                                 "tiedoston nimi, esim. -o tulokset.xlsx\n")
