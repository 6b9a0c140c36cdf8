"""Cards as they are cut and read: type sizes measured from the PDF, backs with nothing near the
cut, area codes explained in a translated edition, every mark on A4 and Letter paper."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from measure_helpers import MM, grey_contrast, marks, pages, text_on_fills, word_sizes
from print_helpers import normalise, page_texts

from kit.deck import Deck
from kit.exports import styles
from kit.exports.cards import build_cards
from kit.exports.pdfbase import PrintResult


def build(deck: Deck, **options: Any) -> tuple[PrintResult, bytes]:
    stream = io.BytesIO()
    result = build_cards(deck, stream, invariant=True, **options)
    return result, stream.getvalue()


@pytest.mark.parametrize("per_page", [4, 8])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_nothing_under_10_pt_but_the_footer_and_id_at_8(deck: Deck, per_page: int,
                                                        lang: str) -> None:
    _, data = build(deck, per_page=per_page, lang=lang)
    ids = {p.card_id for p in deck.practices()} | {a.code for a in deck.areas}
    footer_words = set(deck.short_title(lang).split())
    small = 0
    for page in pages(data):
        for word, size in word_sizes(page):
            if size < 10:
                small += 1
                assert size >= 8, (word, size)
                continued = re.fullmatch(r"\(\d+/\d+\)", word)  # "PT-3 (1/2)": the id
                assert word in ids or word in footer_words or continued, (word, size)
    assert small > 0  # the footers were measured, not missed


@pytest.mark.parametrize("per_page", [4, 8])
def test_backs_have_no_frame_near_the_cut(deck: Deck, per_page: int) -> None:
    result, data = build(deck, per_page=per_page)
    back_pages = {p.page for p in result.details["placements"] if p.side == "back"}
    assert back_pages
    for number, page in enumerate(pages(data)):
        if number in back_pages:
            drawn = [m for m in marks(page) if m[0] != "char"]
            assert drawn == [], drawn[:3]


def test_the_english_edition_explains_the_area_codes(deck: Deck) -> None:
    _, data = build(deck, lang="en", per_page=8)
    text = normalise(" ".join(page_texts(data)))
    for area in deck.areas:
        assert f"{area.title('en').upper()} · {area.code}" in text
    _, data = build(deck, lang="en")
    text = normalise(" ".join(page_texts(data)))
    assert "the card codes come from the Finnish names" in text
    for area in deck.areas:
        assert f"{area.code} = {area.title('en')}" in text


def test_band_text_and_symbols_read_in_grey(deck: Deck) -> None:
    _, data = build(deck, per_page=8)
    symbols = {a.symbol for a in deck.areas}
    seen: set[str] = set()
    for page in pages(data):
        for char, ink, fill in text_on_fills(page):
            assert grey_contrast(ink, fill) >= 4.5, char
            seen.add(char)
    assert symbols <= seen  # every area's symbol is on a band, and readable there


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("per_page", [4, 8])
def test_every_mark_on_the_page(deck: Deck, paper: str, per_page: int) -> None:
    _, data = build(deck, paper=paper, per_page=per_page)
    width, height = styles.PAPERS[paper]
    edge = 5 * MM - 0.5  # the cut marks run into the margin, ending 5 mm from the edge
    for page in pages(data):
        assert abs(page.width - width) < 1 and abs(page.height - height) < 1
        for kind, x0, top, x1, bottom in marks(page):
            assert x0 >= edge and top >= edge, (kind, x0, top)
            assert x1 <= width - edge and bottom <= height - edge, (kind, x1, bottom)
