"""Comparing with an earlier workshop: marks only where more than two people's worth changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import cli
from kit.compare import Change, compare, direction
from kit.deck import load_deck, parse_deck
from kit.exports.compare_md import dumps, figure, mark
from kit.report import build_report
from kit.store import Store
from tests.across_helpers import Room, export, record

DECK = load_deck()
P = [p.id for p in DECK.practices()]


def _room(store: Store, well: int, partly: int, deck: object = DECK,
          practice: str = P[0], place: str = "Sali") -> str:
    return record(store, deck, Room(place, hands=[(1, practice, "hyvin", well),
                                                  (1, practice, "osittain", partly),
                                                  (1, P[1], "kehitettava", 12)]))


def test_a_session_against_itself_shows_no_change_and_no_marks(data_dir: Path) -> None:
    store = Store(data_dir)
    report = build_report(store.snapshot(_room(store, 5, 7)))
    comparison = compare(report, report)
    assert comparison.rows and comparison.marked == 0
    for row in comparison.rows:
        for change in (row.well, row.develop):
            assert (change.earlier, change.earlier_n) == (change.later, change.later_n)
            assert change.direction == 0 and mark(change, "fi") == ""
    assert not comparison.only_earlier and not comparison.only_later
    text = dumps(comparison, "fi")
    assert "▲" not in text.split("\n", 6)[-1] and "nousi" not in text and "laski" not in text


@pytest.mark.parametrize(("later_well", "expected"), [(6, 0), (7, 0), (8, 1), (4, 0), (2, -1)])
def test_one_or_two_people_of_twelve_give_no_mark_three_do(
        data_dir: Path, later_well: int, expected: int) -> None:
    store = Store(data_dir)
    earlier = build_report(store.snapshot(_room(store, 5, 7)))
    later = build_report(store.snapshot(_room(store, later_well, 12 - later_well)))
    comparison = compare(earlier, later)
    row = next(r for r in comparison.rows if r.practice.id == P[0])
    assert (row.well.earlier, row.well.earlier_n) == (5, 12)
    assert (row.well.later, row.well.later_n) == (later_well, 12)
    assert row.well.direction == expected
    assert comparison.marked == (1 if expected else 0)
    line = next(line for line in dumps(comparison, "fi").splitlines() if "OS-1" in line)
    assert f"✓ hyvin 5/12 → {later_well}/12" in line
    assert ("▲ nousi" in line) == (expected > 0) and ("▼ laski" in line) == (expected < 0)


def test_the_rule_uses_the_smaller_room_and_never_marks_tiny_ones() -> None:
    assert direction(5, 12, 9, 15) == 1  # 42 % → 60 %: 18 points; two people of 12 are 17
    assert direction(5, 12, 8, 15) == 0  # 42 % → 53 %: 12 points
    assert direction(9, 15, 5, 12) == -1
    assert direction(0, 2, 2, 2) == 0  # two people can do anything in a room of two
    assert direction(0, 0, 5, 5) == 0
    assert figure(Change(5, 12, 9, 15), DECK.scale[0], "fi") == "✓ hyvin 5/12 → 9/15"


def test_practices_only_in_one_deck_are_listed(data_dir: Path) -> None:
    store = Store(data_dir)
    data = DECK.to_dict()
    gone = data["areas"][0]["practices"].pop(2)
    data["areas"][0]["practices"].append({"id": "os-uusi", "text": {"fi": "Uusi tapa",
                                                                    "en": "New way"}})
    later_deck = parse_deck(data, "test")
    earlier = build_report(store.snapshot(_room(store, 5, 7)))
    later = build_report(store.snapshot(_room(store, 5, 7, later_deck)))
    comparison = compare(earlier, later)
    assert [p.id for p in comparison.only_earlier] == [gone["id"]]
    assert [p.id for p in comparison.only_later] == ["os-uusi"]
    assert gone["id"] not in {r.practice.id for r in comparison.rows}
    text = dumps(comparison, "fi")
    assert "Vain myöhemmässä työpajassa" in text and "Uusi tapa" in text
    assert "Vain aiemmassa työpajassa" in text


def test_compare_and_summary_on_the_command_line(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(data_dir)
    earlier = export(store, _room(store, 2, 10, place="Viime vuosi"), tmp_path / "old.json")
    later = _room(store, 9, 3)
    store.close()
    assert cli.main(["compare", str(earlier), later]) == 0
    out = capsys.readouterr().out
    assert "✓ hyvin 2/12 → 9/12 **▲ nousi**" in out
    pdf = tmp_path / "vertailu.pdf"
    assert cli.main(["compare", str(earlier), later, "--format", "pdf", "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    plain = tmp_path / "plain.pdf"
    with_page = tmp_path / "with.pdf"
    assert cli.main(["summary", later, "-o", str(plain)]) == 0
    assert cli.main(["summary", later, "--compare", str(earlier), "-o", str(with_page)]) == 0
    from pypdf import PdfReader

    pages = PdfReader(with_page).pages
    assert len(pages) == len(PdfReader(plain).pages) + 1
    assert "Vertailu aiempaan työpajaan" in pages[-1].extract_text()
    assert cli.main(["export", later, "--format", "md", "--compare", str(earlier)]) == 0
    md = capsys.readouterr().out
    assert "## Vertailu aiempaan työpajaan" in md and "2/12 → 9/12" in md


def test_a_comparison_goes_only_into_the_markdown_export(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(data_dir)
    earlier, later = _room(store, 2, 10), _room(store, 9, 3)
    store.close()
    out = tmp_path / "tulokset.csv"
    assert cli.main(["export", later, "--format", "csv", "--compare", earlier,
                     "-o", str(out)]) == 2
    assert "Markdown" in capsys.readouterr().err and not out.exists()
