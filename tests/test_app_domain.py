"""The app's textual-free helpers: the export writer, printing and opening, the screen words."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kit.deck import Deck
from kit.demo import create_demo
from kit.desktop import open_path, print_file
from kit.errors import KitError
from kit.exports import jsonfile
from kit.exports.files import DATA_FORMATS, available_formats, base_name, write_exports
from kit.store import Store
from kit.view import bar, format_date, parse_date, shorten, stacked_bar


def test_app_helpers_import_without_textual() -> None:
    code = ("import sys\n"
            "import kit.timer, kit.view, kit.exports.files, kit.desktop\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('textual', 'reportlab'))))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_write_exports_writes_each_format_and_says_where(store: Store, tmp_path: Path) -> None:
    session = create_demo(store)
    snapshot = store.snapshot(session)
    seen: list[tuple[int, int, str]] = []
    paths = write_exports(snapshot, store.entries(session), tmp_path / "usb" / "kansio",
                          list(DATA_FORMATS), "fi", progress=lambda *a: seen.append(a))
    assert [p.suffix for p in paths] == [".json", ".csv", ".xlsx", ".md"]
    assert all(p.is_file() and p.parent == tmp_path / "usb" / "kansio" for p in paths)
    assert seen[0] == (0, 4, "json") and seen[-1] == (4, 4, "")
    # The JSON is a real export: it imports as an equal session.
    meta, _deck, entries, _ballots = jsonfile.loads(paths[0].read_bytes())
    assert meta.association == snapshot.meta.association and len(entries) == len(
        store.entries(session))
    assert not list(paths[0].parent.glob(".*.part"))
    assert base_name(snapshot) == "tyopaja-2027-03-12-esimerkkilan-kylayhdistys-ry"


def test_write_exports_problems_are_one_line(store: Store, tmp_path: Path, deck: Deck) -> None:
    session = store.create_session(deck, date="2027-03-12")
    snapshot, entries = store.snapshot(session), store.entries(session)
    a_file = tmp_path / "tiedosto"
    a_file.write_text("x")
    with pytest.raises(KitError) as error:
        write_exports(snapshot, entries, a_file / "alla", ["json"], "fi")
    assert error.value.key == "export.cannot_write"
    assert "ei voi tallentaa" in error.value.message("fi")
    with pytest.raises(KitError, match="Choose at least one"):
        write_exports(snapshot, entries, tmp_path, [], "fi")
    with pytest.raises(KitError, match="Type the folder"):
        write_exports(snapshot, entries, "  ", ["json"], "fi")
    if os.geteuid() != 0:  # root writes anywhere; the read-only case needs a normal user
        locked = tmp_path / "lukittu"
        locked.mkdir()
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        with pytest.raises(KitError) as error:
            write_exports(snapshot, entries, locked, ["json"], "fi")
        assert "käyttöoikeutta" in error.value.message("fi")


def test_pdf_choices_appear_only_with_their_builders() -> None:
    formats = available_formats()
    assert formats[:len(DATA_FORMATS)] == DATA_FORMATS
    assert set(formats) <= {"json", "csv", "xlsx", "md", "summary", "cards"}


def _fake(tmp_path: Path, name: str, script: str) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return folder


def test_print_without_a_printer_is_one_clear_line(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = tmp_path / "yhteenveto.md"
    sheet.write_text("x")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(KitError) as error:
        print_file(sheet)
    assert error.value.key == "print.no_system"
    monkeypatch.setenv("PATH", str(_fake(
        tmp_path, "lp", 'echo "lp: Error - No default destination." >&2; exit 1\n')))
    with pytest.raises(KitError) as error:
        print_file(sheet)
    assert error.value.key == "print.no_printer"
    assert error.value.message("fi") == (
        "Tulostus ei onnistu: oletustulostinta ei ole asetettu.")


def test_a_hanging_printer_does_not_hang_the_app(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = tmp_path / "yhteenveto.md"
    sheet.write_text("x")
    monkeypatch.setenv("PATH", str(_fake(tmp_path, "lp", f"exec {shutil.which('sleep')} 30\n")))
    with pytest.raises(KitError) as error:
        print_file(sheet, timeout=0.5)
    assert error.value.key == "print.timeout"
    monkeypatch.setenv("PATH", str(_fake(tmp_path, "lp", 'echo "request id is P-1"\n')))
    assert print_file(sheet) == "request id is P-1"


def test_open_without_a_viewer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(KitError) as error:
        open_path(tmp_path)
    assert error.value.key == "open.no_viewer"
    name = "open" if sys.platform == "darwin" else "xdg-open"
    monkeypatch.setenv("PATH", str(_fake(tmp_path, name, 'echo "no display" >&2; exit 3\n')))
    with pytest.raises(KitError, match="no display"):
        open_path(tmp_path)


def test_words_on_screen() -> None:
    assert bar(0, 10, 5) == "" and bar(10, 10, 5) == "█████" and bar(1, 8, 1) == "▏"
    assert stacked_bar([1, 1, 0, 0], 4) == "██▓▓"
    assert stacked_bar([9, 1, 0, 0], 5).count("▓") == 1  # a counted step never vanishes
    assert stacked_bar([0, 0, 0, 0], 3) == "···"
    assert shorten("Yhteisöllisyys; yhdessä tekeminen", 14) == "Yhteisöllisyy…"
    assert format_date("2027-03-12", "fi") == "12.3.2027"
    assert format_date("2027-03-12", "en") == "12 Mar 2027"
    assert parse_date("12.3.2027") == "2027-03-12" and parse_date(" 2027-03-12 ") == "2027-03-12"
    assert parse_date("31.2.2027") == "31.2.2027"  # left as typed: the store says why not


def _unblock(lines: list[str], table: dict[tuple[object, ...], str], rows: int,
             cols: int) -> list[list[bool]]:
    """Read block characters back into modules (the inverse of the drawing)."""
    back = {char: key for key, char in table.items()}
    grid = [[False] * (len(lines[0]) * cols) for _ in range(len(lines) * rows)]
    for y, line in enumerate(lines):
        for x, char in enumerate(line):
            key = back[char]
            for n, dark in enumerate(key):
                grid[y * rows + n // cols][x * cols + n % cols] = bool(dark)
    return grid


def test_the_on_screen_qr_draws_every_module() -> None:
    from kit.exports.qr import qr_matrix
    from kit.widgets.blocks import _HALF, _QUARTER, half_blocks, quarter_blocks, with_quiet_zone

    matrix = with_quiet_zone(qr_matrix("Esimerkkilän kyläyhdistys ry, 12.3.2027 – ✓ 53 %"))
    assert not any(matrix[0]) and not any(row[0] for row in matrix)  # a light border
    size = len(matrix)
    half = half_blocks(matrix)
    assert len(half) == (size + 1) // 2 and {len(line) for line in half} == {size}
    assert _unblock(half, _HALF, 2, 1)[:size] == matrix
    quarter = quarter_blocks(matrix)
    back = _unblock(quarter, _QUARTER, 2, 2)
    assert [row[:size] for row in back[:size]] == matrix
    # A matrix without a border gets one of four modules.
    bare = [[True, False], [False, True]]
    assert len(with_quiet_zone(bare)) == 10
