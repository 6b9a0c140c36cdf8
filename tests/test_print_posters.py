"""Voting posters: one landscape page per area, rows and columns in the app's order."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
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
from kit.exports.posters import build_posters


def build(deck: Deck, lang: str = "fi") -> bytes:
    stream = io.BytesIO()
    result = build_posters(deck, stream, lang=lang, invariant=True)
    assert result.pages == page_count(stream.getvalue())
    return stream.getvalue()


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_one_landscape_page_per_area_with_practices_in_deck_order(deck: Deck,
                                                                   lang: str) -> None:
    data = build(deck, lang)
    assert page_count(data) == len(deck.areas)
    width, height = page_size(data)
    assert width > height and abs(width - 841.9) < 1 and abs(height - 595.3) < 1
    for area, raw in zip(deck.areas, page_texts(data), strict=True):
        text = normalise(raw)
        assert f"{area.symbol} {area.title(lang)}" in text
        places = [text.find(normalise(p.text(lang))) for p in area.practices]
        assert -1 not in places and places == sorted(places)  # the app's order
        ids = [text.find(p.card_id) for p in area.practices]
        assert -1 not in ids
        levels = [text.find(level.label(lang)) for level in deck.scale]
        assert -1 not in levels and levels == sorted(levels)  # the scale's order, left to right
        for point in (pt for p in area.practices for pt in p.points):
            assert normalise(point(lang)) in text


def test_two_lines_of_instructions_name_the_dots(deck: Deck) -> None:
    text = all_text(build(deck))
    assert "Vetäkää jokaisella rivillä viiva" in text
    assert f"Jokaisella on {deck.dots} pistettä" in text


def test_a_long_area_continues_on_the_next_page_with_nothing_left_out(deck: Deck) -> None:
    data_dict = deck.to_dict()
    data_dict["areas"] = data_dict["areas"][:1]
    data_dict["areas"][0]["practices"] = [
        {"id": f"p{i}", "text": {"fi": f"Käytänne numero {i:02d} <b>&</b> Жизнь " * 3}}
        for i in range(40)]
    data = build(parse_deck(data_dict))
    assert page_count(data) >= 2
    text = all_text(data)
    for i in range(40):
        assert f"Käytänne numero {i:02d} <b>&</b> Жизнь" in text
    assert text.count("Käytänne Toimii") >= 2 or text.count("OS Käytänne") >= 2  # header again


def test_fonts_are_embedded_and_never_helvetica(deck: Deck) -> None:
    assert_fonts_embedded_not_standard(build(deck))


def test_cli_default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["posters"]) == 0
    assert str(tmp_path / "aanestysjulisteet.pdf") in capsys.readouterr().out
    assert main(["posters", "--lang", "en"]) == 0
    assert page_count((tmp_path / "voting-posters.pdf").read_bytes()) == 4
