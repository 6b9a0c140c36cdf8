"""`tyopaja kit`: cards, posters, an agenda and a script per area, in one folder and one go,
from a session or (before one exists) from the deck and the values given."""

from __future__ import annotations

from pathlib import Path

import pytest
from measure_helpers import MM, marks, pages, smallest_type
from print_helpers import all_text, normalise, page_count, page_texts

from kit.cli import main
from kit.deck import Deck
from kit.demo import create_demo
from kit.exports.agenda import phases
from kit.store import Store

FI = ("keskustelukortit.pdf", "aanestysjulisteet.pdf", "ohjelma.pdf",
      "vetajan-kasikirjoitus.pdf")
EN = ("discussion-cards.pdf", "voting-posters.pdf", "agenda.pdf", "facilitator-script.pdf")


def test_from_a_session_in_its_language(store: Store, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    session = create_demo(store, "en")
    snap = store.snapshot(session)
    folder = tmp_path / "new" / "kit"
    assert main(["kit", session, "-o", str(folder), "--people", "4"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(EN)
    assert str(folder) in capsys.readouterr().out
    agenda = all_text((folder / "agenda.pdf").read_bytes())
    assert page_count((folder / "agenda.pdf").read_bytes()) == 1
    assert snap.meta.association in agenda and "12 March 2027" in agenda
    areas = [snap.deck.area(a) for a in snap.meta.area_ids]
    places = [agenda.find(f"{a.symbol} {a.title('en')}") for a in areas]
    assert -1 not in places and places == sorted(places)  # the session's order
    assert "18:00–18:10" in agenda and "Break" in agenda
    script = (folder / "facilitator-script.pdf").read_bytes()
    texts = [normalise(t) for t in page_texts(script)]
    assert len(texts) == len(areas)  # one page per area
    for area, text in zip(areas, texts, strict=True):
        assert f"{area.symbol} {area.title('en')}" in text
        assert normalise(area.intro("en")) in text
        for question in area.questions:
            assert normalise(question("en")) in text
        assert "ctrl+z" in text and "1 = ✓ Works well" in text
        assert f"({snap.meta.minutes} min)" in text
    posters = (folder / "voting-posters.pdf").read_bytes()
    rings = sum(len(p.curves) for p in pages(posters))
    assert rings == sum(len(a.practices) for a in areas) * 4 * snap.meta.dots
    assert "Discuss:" in all_text((folder / "discussion-cards.pdf").read_bytes())


def test_before_a_session_from_the_deck_and_the_values_given(deck: Deck,
                                                             tmp_path: Path) -> None:
    folder = tmp_path / "kit"
    assert main(["kit", "-o", str(folder), "--areas", "arvot,osallisuus", "--minutes", "30",
                 "--dots", "2", "--people", "3", "--start", "17:30",
                 "--association", "Kylä ry", "--date", "2027-04-02"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(FI)
    agenda = all_text((folder / "ohjelma.pdf").read_bytes())
    assert "Kylä ry" in agenda and "2.4.2027" in agenda
    assert agenda.find("♥ Arvot") < agenda.find("◆ Osallisuus")
    assert "17.30–17.40" in agenda and "Tauko" not in agenda  # two areas: no break between
    assert "18.40–19.00" in agenda  # 10 + 30 + 30 minutes, then the 20-minute close
    assert "Jokaisella on 2 pistettä" in agenda
    script = page_texts((folder / "vetajan-kasikirjoitus.pdf").read_bytes())
    assert len(script) == 2 and "(30 min)" in normalise(script[0])
    posters = (folder / "aanestysjulisteet.pdf").read_bytes()
    arvot, osallisuus = deck.area("arvot"), deck.area("osallisuus")
    count = len(arvot.practices) + len(osallisuus.practices)
    assert sum(len(p.curves) for p in pages(posters)) == count * 3 * 2
    cards = all_text((folder / "keskustelukortit.pdf").read_bytes())
    assert "Perustoiminta".upper() not in cards  # only the evening's areas


def test_the_phases_add_up() -> None:
    for minutes in (1, 5, 7, 20, 25, 61, 240):
        parts = phases(minutes)
        assert sum(length for _, length in parts) == minutes
        assert all(length > 0 for _, length in parts)


@pytest.mark.parametrize("args", [["--start", "25:99"], ["--areas", "nope"],
                                  ["--minutes", "0"], ["--dots", "99"]])
def test_bad_values_are_one_line_and_write_nothing(tmp_path: Path, args: list[str],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "kit"
    assert main(["kit", "-o", str(folder), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not folder.exists()


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_agenda_and_script_keep_every_mark_on_the_page_and_big_type(
        tmp_path: Path, paper: str) -> None:
    folder = tmp_path / paper
    assert main(["kit", "-o", str(folder), "--paper", paper, "--people", "5"]) == 0
    for name in ("ohjelma.pdf", "vetajan-kasikirjoitus.pdf", "keskustelukortit.pdf",
                 "aanestysjulisteet.pdf"):
        data = (folder / name).read_bytes()
        for page in pages(data):
            for kind, x0, top, x1, bottom in marks(page):
                assert x0 >= 5 * MM - 0.5 and top >= 5 * MM - 0.5, (name, kind)
                assert x1 <= page.width - 5 * MM + 0.5, (name, kind)
                assert bottom <= page.height - 5 * MM + 0.5, (name, kind)
    assert smallest_type((folder / "ohjelma.pdf").read_bytes()) >= 12
    assert smallest_type((folder / "vetajan-kasikirjoitus.pdf").read_bytes()) >= 10
