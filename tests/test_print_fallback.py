"""Emoji and symbols that DejaVu Sans lacks, in every PDF the kit prints: drawn from the
fallback symbol font (also where text is drawn straight on the canvas or set as a plain table
cell), measured in that font so nothing runs out of its card or cell, read back as typed, the
placeholder only for what neither font has, and the symbol font embedded only when used."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from kit.cli import main
from kit.compare import compare
from kit.deck import Deck, parse_deck
from kit.exports import glyphs, styles
from kit.exports.cards import build_cards
from kit.exports.cardtext import break_lines
from kit.exports.compare_pdf import build_compare
from kit.exports.posters import PosterOptions, build_posters
from kit.exports.region_pdf import build_region_pdf
from kit.exports.slips import build_slips
from kit.exports.summary import build_summary
from kit.region import build_region
from kit.report import build_report
from kit.store import Store
from tests.across_helpers import export
from tests.print_helpers import all_text, fonts

EMOJI = ("📋", "👍", "🎉", "✅")
# Long enough to wrap on every card and to be cut in the comparison's one-line cell.
PRACTICE = ("Kirjaamme 📋 päätökset 👍 ja juhlimme 🎉 onnistumisia ✅ yhdessä, "
            "Привет всем 📋📋📋 ja äänestämme öisin 👍👍 🎉🎉 ✅✅ kaikki")
SHORT = "Kuuntelemme 👍 ja kirjaamme 📋 – Привет ✅"
AREA = "Osallisuus 📋 ✅"
QUESTION = "Mikä 👍 toimii, mitä 🎉 juhlimme?"
COMMENT = "Hyvä 👍 juttu 🎉, lista 📋 valmis ✅ – Жизнь прекрасна"
ACTION = "Tehdään 📋 lista ✅ syksyllä"


@pytest.fixture(scope="module")
def emoji_deck() -> Deck:
    from kit.deck import load_deck

    data = load_deck().to_dict()
    area = data["areas"][0]
    area["title"]["fi"] = AREA
    area["intro"]["fi"] = "Osallisuus 👍 tarkoittaa 🎉 sitä, että 📋 jokainen ✅ voi osallistua."
    area["questions"][0]["fi"] = QUESTION
    for n, practice in enumerate(area["practices"]):
        practice["text"]["fi"] = PRACTICE if n < 2 else SHORT
        practice["points"] = [{"fi": "Ääni 👍 kuuluu ✅", "en": "A voice"}]
    return parse_deck(data)


def _session(store: Store, deck: Deck, association: str = "Kylä 🎉 ry") -> str:
    session = store.create_session(deck, association=association)
    handle = store.session(session)
    practices = list(deck.areas[0].practices)
    groups = [group.id for group in handle.snapshot.meta.groups]
    for practice in practices:
        handle.record_rating(groups[0], practice.id, deck.scale[0].id, 3)
        handle.record_rating(groups[0], practice.id, deck.scale[-1].id, 2)
        handle.add_comment(COMMENT, "idea", practice_id=practice.id)
    handle.add_comment(COMMENT + " \U0001F9EC", "concern", area_id=deck.areas[0].id)
    handle.add_action(ACTION, "Hallitus 👍", "31.1.2027", practices[0].id)
    return session


def _base_fonts(data: bytes) -> set[str]:
    return {str(font.get("/BaseFont", "")) for font in fonts(data)}


def _uses_fallback(data: bytes) -> bool:
    face = glyphs.install_fallback().face.name.decode()  # "TyopajaMerkit", from Symbola
    return any(name.endswith(f"+{face}") for name in _base_fonts(data))


def _check_text(data: bytes, *, missing: int, result_missing: int) -> str:
    text = all_text(data)
    assert text.count("\ufffd") == missing == result_missing
    for emoji in EMOJI:
        assert emoji in text
    assert _uses_fallback(data)
    return text


def _chars(data: bytes) -> list[list[dict[str, Any]]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [[dict(c) | {"page_height": float(page.height), "page_width": float(page.width)}
                 for c in page.chars] for page in pdf.pages]


def _inside_margins(data: bytes, margin: float) -> None:
    """Every glyph between the left and right margins (where an overflow would show)."""
    for page in _chars(data):
        for char in page:
            assert char["x0"] >= margin - 0.5, char["text"]
            assert char["x1"] <= char["page_width"] - margin + 0.5, char["text"]
            assert char["top"] >= 0 and char["bottom"] <= char["page_height"]


# --- the fonts themselves ------------------------------------------------------------------


def test_a_string_is_measured_in_the_font_each_character_is_drawn_from() -> None:
    styles.register_fonts()
    for font in (styles.FONT, styles.FONT_BOLD):
        mixed = stringWidth("ab📋c✅", font, 10)
        parts = (stringWidth("ab", font, 10) + stringWidth("📋", glyphs.FALLBACK, 10)
                 + stringWidth("c", font, 10) + stringWidth("✅", glyphs.FALLBACK, 10))
        assert mixed == pytest.approx(parts)
        # Not the width of DejaVu's empty box: what reportlab measured before.
        assert stringWidth("📋", font, 10) == pytest.approx(
            stringWidth("📋", glyphs.FALLBACK, 10))
    for line in break_lines(PRACTICE, 120, 14, True):
        assert styles.text_width(line, 14, True) <= 120 + 1e-6


def test_the_symbol_font_is_embedded_only_when_used(deck: Deck, emoji_deck: Deck) -> None:
    plain, with_emoji = io.BytesIO(), io.BytesIO()
    assert build_cards(deck, plain).missing == 0
    assert not _uses_fallback(plain.getvalue())
    assert build_cards(emoji_deck, with_emoji).missing == 0
    assert _uses_fallback(with_emoji.getvalue())


# --- cards ---------------------------------------------------------------------------------


@pytest.mark.parametrize("per_page", [4, 8])
def test_cards_draw_emoji_and_keep_them_on_their_card(emoji_deck: Deck, per_page: int) -> None:
    stream = io.BytesIO()
    result = build_cards(emoji_deck, stream, per_page=per_page)
    data = stream.getvalue()
    text = _check_text(data, missing=0, result_missing=result.missing)
    assert AREA.upper() in text  # the band on the fronts
    assert "Привет всем 📋📋📋" in text and "Ääni 👍 kuuluu ✅" in text
    pages = _chars(data)
    placements = result.details["placements"]
    inset = styles.CARD_SIZES[per_page].inset
    seen = {"front": 0, "back": 0}
    for placement in placements:
        box = placement.box
        emoji_here = 0
        for char in pages[placement.page]:
            y = char["page_height"] - char["bottom"]  # baseline side, PDF coordinates
            if not (box.x <= (char["x0"] + char["x1"]) / 2 <= box.x + box.width
                    and box.y <= y + 1 <= box.y + box.height):
                continue  # another card's
            # Inside the card's safe margin (where its text lines end), emoji and all.
            assert box.x + inset - 0.5 <= char["x0"], char["text"]
            assert char["x1"] <= box.x + box.width - inset + 0.5, char["text"]
            emoji_here += char["text"] in EMOJI
        if placement.key.startswith("OS") and emoji_here:
            seen[placement.side] += 1
    assert seen["front"] >= 5 and seen["back"] >= 5  # area title on the backs too


def test_a_character_neither_font_has_is_still_the_counted_placeholder(
        emoji_deck: Deck) -> None:
    data = emoji_deck.to_dict()
    data["areas"][1]["practices"][0]["text"]["fi"] = "Uusi \U0001F9EC merkki 📋"
    stream = io.BytesIO()
    result = build_cards(parse_deck(data), stream)
    text = all_text(stream.getvalue())
    assert result.missing == 1 and "Uusi \ufffd merkki 📋" in text


# --- posters, slips, summary, kit ------------------------------------------------------------


def test_posters(emoji_deck: Deck) -> None:
    stream = io.BytesIO()
    result = build_posters(emoji_deck, stream, options=PosterOptions(people=6))
    data = stream.getvalue()
    text = _check_text(data, missing=0, result_missing=result.missing)
    assert AREA in text
    _inside_margins(data, styles.POSTER_MARGIN)


def test_summary(store: Store, emoji_deck: Deck, tmp_path: Path) -> None:
    session = _session(store, emoji_deck)
    path = tmp_path / "summary.pdf"
    result = build_summary(build_report(store.snapshot(session)), path, lang="fi")
    data = path.read_bytes()
    text = _check_text(data, missing=1, result_missing=result.missing)  # the 🧬
    assert "Kylä 🎉 ry" in text and ACTION in text and "Hallitus 👍" in text
    _inside_margins(data, styles.SUMMARY_MARGIN)


def test_slips(store: Store, emoji_deck: Deck) -> None:
    session = _session(store, emoji_deck)
    handle = store.session(session)
    area = handle.snapshot.meta.area_ids[0]
    codes = handle.make_slips(4, area, "192.168.8.20", 8765)
    stream = io.BytesIO()
    result = build_slips(handle.snapshot, codes, stream, host="192.168.8.20", port=8765,
                         area_id=area)
    data = stream.getvalue()
    text = all_text(data)
    assert result.missing == 0 and "\ufffd" not in text
    assert "Kylä 🎉 ry" in text and AREA in text and _uses_fallback(data)
    for page in _chars(data):
        for char in page:
            assert char["x0"] >= 0 and char["x1"] <= char["page_width"]


def test_kit_agenda_and_script(store: Store, emoji_deck: Deck, tmp_path: Path) -> None:
    session = _session(store, emoji_deck)
    folder = tmp_path / "kit"
    assert main(["kit", session, "-o", str(folder), "--people", "6"]) == 0
    for name in ("ohjelma.pdf", "vetajan-kasikirjoitus.pdf"):
        data = (folder / name).read_bytes()
        text = all_text(data)
        assert "\ufffd" not in text and AREA in text and _uses_fallback(data), name
    script = all_text((folder / "vetajan-kasikirjoitus.pdf").read_bytes())
    assert QUESTION in script
    cards = all_text((folder / "keskustelukortit.pdf").read_bytes())
    assert "\ufffd" not in cards and "Привет всем 📋📋📋" in cards


# --- across workshops ----------------------------------------------------------------------


def test_compare_cuts_by_the_printed_width(store: Store, emoji_deck: Deck,
                                           tmp_path: Path) -> None:
    earlier = build_report(store.snapshot(_session(store, emoji_deck)))
    later = build_report(store.snapshot(_session(store, emoji_deck, "Toinen 👍 ry")))
    path = tmp_path / "compare.pdf"
    result = build_compare(compare(earlier, later), path, lang="fi")
    data = path.read_bytes()
    text = all_text(data)
    assert result.missing == 0 and "\ufffd" not in text
    assert "📋" in text and "👍" in text and AREA in text and _uses_fallback(data)
    # Each practice's one-line cell is cut with "…" before the next column begins: the cut
    # measured the emoji as drawn (wider than DejaVu's empty box).
    rows = 0
    for page in _chars(data):
        for ellipsis in (c for c in page if c["text"] == "…"):
            # On its baseline (each font's own ascent moves "top").
            line = [c for c in page if abs(c["matrix"][5] - ellipsis["matrix"][5]) < 0.1]
            before = [c for c in line if c["x0"] < ellipsis["x0"]]
            after = [c for c in line if c["x0"] > ellipsis["x1"]]
            # The next cell's text starts 6 pt (its padding) after the column's edge.
            assert after and min(c["x0"] for c in after) - 6 >= ellipsis["x1"] - 0.5
            rows += any(c["text"] in EMOJI for c in before)
    assert rows == len(emoji_deck.areas[0].practices)  # each cut by its printed width


def test_region(store: Store, emoji_deck: Deck, tmp_path: Path) -> None:
    paths = [export(store, _session(store, emoji_deck, name), tmp_path / f"{n}.json")
             for n, name in enumerate(("Kylä 🎉 ry", "Toinen 👍 ry"))]
    region = build_region(paths, comments=True)
    path = tmp_path / "region.pdf"
    result = build_region_pdf(region, path, lang="fi")
    data = path.read_bytes()
    text = all_text(data)
    assert text.count("\ufffd") == result.missing == 0
    assert "📋" in text and "🎉" in text and AREA in text and _uses_fallback(data)
    assert "Kylä 🎉 ry" in text and COMMENT in text
    _inside_margins(data, 10)
