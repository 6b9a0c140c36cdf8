"""Voting posters for the wall: big type, a dot space for real stickers, sheets per area."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from measure_helpers import MM, grey_contrast, marks, pages, text_on_fills, word_sizes
from print_helpers import (
    all_text,
    assert_fonts_embedded_not_standard,
    normalise,
    page_count,
    page_size,
    page_texts,
)

from kit.cli import main
from kit.deck import Deck, parse_deck
from kit.errors import KitError
from kit.exports.posters import PosterOptions, build_posters


def build(deck: Deck, lang: str = "fi", **options: object) -> bytes:
    stream = io.BytesIO()
    result = build_posters(deck, stream, lang=lang, invariant=True,
                           options=PosterOptions(**options))  # type: ignore[arg-type]
    assert result.pages == page_count(stream.getvalue())
    return stream.getvalue()


@pytest.fixture(scope="module")
def a4(deck: Deck) -> bytes:
    return build(deck)


def test_practice_text_is_28_pt_or_more_and_the_title_40(deck: Deck, a4: bytes) -> None:
    seen = 0
    for page in pages(a4):
        sizes = word_sizes(page)
        words = [w for w, _ in sizes]
        for area in deck.areas:
            if area.symbol in words:  # the band: the symbol, then the area's name
                at = words.index(area.symbol)
                assert words[at + 1] == area.title("fi").split()[0]
                assert sizes[at][1] >= 40 and sizes[at + 1][1] >= 40
        for practice in deck.practices():
            if practice.card_id not in words:
                continue
            seen += 1
            at = words.index(practice.card_id)
            text = practice.text("fi").split()
            assert words[at + 1:at + 1 + len(text)] == text  # the card id, then the text
            measured = [size for _, size in sizes[at:at + 1 + len(text)]]
            assert min(measured) >= 28, (practice.card_id, min(measured))
    assert seen == len(list(deck.practices()))  # every practice found, each measured


@pytest.mark.parametrize(("dot_mm", "people", "paper"),
                         [(12, 20, "a4"), (8, 20, "a4"), (19, 20, "a3"), (12, 8, "letter")])
def test_the_dot_space_has_a_ring_for_everyones_dots(deck: Deck, dot_mm: int, people: int,
                                                      paper: str) -> None:
    data = build(deck, dot_mm=dot_mm, people=people, paper=paper)
    rings = 0
    for page in pages(data):
        for curve in page.curves:
            assert math.isclose(curve["width"], dot_mm * MM, rel_tol=0.02)
            assert math.isclose(curve["height"], dot_mm * MM, rel_tol=0.02)
        rings += len(page.curves)
    assert rings == len(list(deck.practices())) * people * deck.dots


def test_the_session_s_dots_size_the_space(deck: Deck) -> None:
    data = build(deck, dots=5, people=4)
    assert sum(len(p.curves) for p in pages(data)) == len(list(deck.practices())) * 4 * 5
    assert "Jokaisella on 5 pistettä" in all_text(data)


def test_every_sheet_names_its_area_and_its_place(deck: Deck, a4: bytes) -> None:
    texts = [normalise(t) for t in page_texts(a4)]
    for area in deck.areas:
        own = [t for t in texts if f"{area.symbol} {area.title('fi')}" in t]
        assert own, area.id
        if len(own) > 1:
            for number, text in enumerate(own, start=1):
                assert f"{number}/{len(own)}" in text
        placed = " ".join(own)
        places = [placed.find(normalise(p.text("fi"))) for p in area.practices]
        assert -1 not in places and places == sorted(places)  # the app's order
    assert len(texts) > len(deck.areas)  # 60 rings a practice: an area takes several sheets


def test_levels_in_the_scale_s_order_and_points_printed(deck: Deck, a4: bytes) -> None:
    first = normalise(page_texts(a4)[0])
    places = [first.find(level.label("fi")) for level in deck.scale]
    assert -1 not in places and places == sorted(places)
    text = all_text(a4)
    for point in (pt for p in deck.practices() for pt in p.points):
        assert normalise(point("fi")) in text


@pytest.mark.parametrize(("paper", "size"), [("a4", (841.9, 595.3)), ("a3", (1190.6, 841.9)),
                                             ("letter", (792, 612))])
def test_landscape_paper_with_every_mark_on_the_page(deck: Deck, paper: str,
                                                     size: tuple[float, float]) -> None:
    data = build(deck, paper=paper, people=10)
    width, height = page_size(data)
    assert abs(width - size[0]) < 1 and abs(height - size[1]) < 1
    edge = 5 * MM  # an office laser prints nothing closer to the edge than this
    for page in pages(data):
        for kind, x0, top, x1, bottom in marks(page):
            assert x0 >= edge and top >= edge, (kind, x0, top)
            assert x1 <= width - edge and bottom <= height - edge, (kind, x1, bottom)


def test_band_text_reads_in_grey(deck: Deck, a4: bytes) -> None:
    checked = 0
    for page in pages(a4):
        for char, ink, fill in text_on_fills(page):
            assert grey_contrast(ink, fill) >= 4.5, char
            checked += 1
    assert checked > 0


def test_no_break_between_a_number_and_its_unit(deck: Deck, a4: bytes) -> None:
    label = "Pisteet (3 / hlö)"
    for raw in page_texts(a4):
        lines = [normalise(line) for line in raw.splitlines()]
        assert any(label in line for line in lines)  # on one line, never "(3 /" and "hlö)"
        for line in lines:
            assert not line.endswith("•"), line


def test_a_practice_too_big_for_the_paper_is_one_clear_line(
        deck: Deck, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(KitError):
        build(deck, dot_mm=19, people=40)
    target = tmp_path / "p.pdf"
    assert main(["posters", "--dot-mm", "19", "--people", "40", "-o", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--paper a3" in err[0] and "Traceback" not in err[0]
    assert not target.exists()


def test_a_long_area_continues_with_nothing_left_out(deck: Deck) -> None:
    data_dict = deck.to_dict()
    data_dict["areas"] = data_dict["areas"][:1]
    data_dict["areas"][0]["practices"] = [
        {"id": f"p{i}", "text": {"fi": f"Käytänne numero {i:02d} <b>&</b> Жизнь " * 3}}
        for i in range(12)]
    data = build(parse_deck(data_dict), people=5)
    assert page_count(data) >= 2
    text = all_text(data)
    for i in range(12):
        assert f"Käytänne numero {i:02d} <b>&</b> Жизнь" in text


def test_fonts_are_embedded_and_never_helvetica(a4: bytes) -> None:
    assert_fonts_embedded_not_standard(a4)


def test_cli_options_and_default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["posters", "--people", "6"]) == 0
    assert str(tmp_path / "aanestysjulisteet.pdf") in capsys.readouterr().out
    assert main(["posters", "--lang", "en", "--paper", "a3", "--dot-mm", "8"]) == 0
    data = (tmp_path / "voting-posters.pdf").read_bytes()
    assert abs(page_size(data)[0] - 1190.6) < 1
    assert "Dots (3 each)" in all_text(data)
