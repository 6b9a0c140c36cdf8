"""Discussion cards: every practice printed, big enough, cut marks, backs behind their fronts."""

from __future__ import annotations

import io
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest
from print_helpers import (
    all_text,
    assert_fonts_embedded_not_standard,
    normalise,
    page_count,
    page_size,
)
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from kit.cli import main
from kit.deck import Deck, parse_deck
from kit.exports import styles
from kit.exports.cards import CardLayout, Placement, build_cards
from kit.exports.pdfbase import PrintResult

CARDS_IN_DEFAULT_DECK = 1 + 4 + 32  # title card, an intro card per area, 32 practices


def build(deck: Deck, **options: Any) -> tuple[PrintResult, bytes]:
    stream = io.BytesIO()
    result = build_cards(deck, stream, invariant=True, **options)
    return result, stream.getvalue()


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_practice_and_point_is_printed(deck: Deck, lang: str) -> None:
    _, data = build(deck, lang=lang)
    text = all_text(data)
    for practice in deck.practices():
        assert normalise(practice.text(lang)) in text, practice.card_id
        for point in practice.points:
            assert normalise(point(lang)) in text
    for area in deck.areas:
        assert normalise(area.intro(lang)) in text
        for question in area.questions:
            assert normalise(question(lang)) in text
        assert area.title(lang).upper() in text  # the band says the area in words
        assert area.symbol in text  # and shows its symbol
    assert deck.motto is not None and normalise(deck.motto(lang)) in text


def test_english_cards_are_english(deck: Deck) -> None:
    _, data = build(deck, lang="en")
    text = all_text(data)
    assert "Listening to members" in text and "Jäsenten kuunteleminen" not in text


@pytest.mark.parametrize(("per_page", "backs"), [(4, True), (4, False), (8, True), (8, False)])
def test_page_count_matches_the_layout(deck: Deck, per_page: int, backs: bool) -> None:
    result, data = build(deck, per_page=per_page, backs=backs)
    sheets = math.ceil(CARDS_IN_DEFAULT_DECK / per_page)
    assert result.details["faces"] == CARDS_IN_DEFAULT_DECK  # no card needed a second face
    assert result.pages == page_count(data) == sheets * (2 if backs else 1)
    fronts = [p for p in result.details["placements"] if p.side == "front"]
    assert len(fronts) == CARDS_IN_DEFAULT_DECK
    assert len({p.key for p in fronts}) == CARDS_IN_DEFAULT_DECK


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.3, 841.9)), ("letter", (612, 792))])
def test_paper_sizes(deck: Deck, paper: str, size: tuple[float, float]) -> None:
    _, data = build(deck, paper=paper, per_page=8)
    width, height = page_size(data)
    assert abs(width - size[0]) < 1 and abs(height - size[1]) < 1
    layout = CardLayout.make(paper, 8)
    # Every card inside the paper with room for the cut marks around the grid.
    assert layout.left >= styles.CUT_MARK_GAP + styles.CUT_MARK_LENGTH
    assert layout.bottom >= styles.CUT_MARK_GAP + styles.CUT_MARK_LENGTH


@pytest.mark.parametrize(("per_page", "minimum"), [(4, 16), (8, 11)])
def test_practice_text_is_big_enough(deck: Deck, per_page: int, minimum: float) -> None:
    result, _ = build(deck, per_page=per_page)
    practice_ids = {p.card_id for p in deck.practices()}
    sizes = [p.text_size for p in result.details["placements"]
             if p.side == "front" and p.key in practice_ids]
    assert len(sizes) == 32
    assert min(sizes) >= minimum


def test_a_very_long_practice_continues_on_a_second_card_at_the_minimum_size(
        deck: Deck) -> None:
    data_dict = deck.to_dict()
    words = " ".join(f"sana{i:03d}" for i in range(220))
    data_dict["areas"][0]["practices"][0]["text"] = {"fi": words, "en": words}
    long_deck = parse_deck(data_dict)
    result, data = build(long_deck, per_page=8)
    assert result.details["faces"] > CARDS_IN_DEFAULT_DECK
    text = all_text(data)
    positions = [text.find(f"sana{i:03d}") for i in range(220)]
    assert -1 not in positions and positions == sorted(positions)  # nothing cut, in order
    assert "OS-1 (1/" in text
    own = [p for p in result.details["placements"] if p.key == "OS-1" and p.side == "front"]
    assert len(own) >= 2 and all(p.text_size == 11 for p in own)


def test_cut_marks_stay_outside_the_cards(deck: Deck) -> None:
    """Every stroked line on a front page lies in the margin, none over a card."""
    _, data = build(deck, backs=False)
    layout = CardLayout.make("a4", 4)
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    content = page.get_contents().get_data().decode("latin-1")
    lines = re.findall(r"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S", content)
    assert len(lines) == 2 * (layout.columns + 1) + 2 * (layout.rows + 1)
    grid_top = layout.bottom + layout.rows * layout.card_height
    grid_right = layout.left + layout.columns * layout.card_width
    for x1, y1, x2, y2 in ((float(v) for v in line) for line in lines):
        outside = (min(y1, y2) >= grid_top or max(y1, y2) <= layout.bottom
                   or min(x1, x2) >= grid_right or max(x1, x2) <= layout.left)
        assert outside, (x1, y1, x2, y2)


def _ids_with_positions(page: pypdf.PageObject) -> list[tuple[str, float, float, float]]:
    """(text, x, y, size) of every card id drawn on a page."""
    found: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        text = text.strip()
        if re.fullmatch(r"[A-Z]{1,4}(-\d+)?", text):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text, x, y, size * tm[0] * cm[0]))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize(("per_page", "paper"), [(4, "a4"), (8, "a4"), (4, "letter")])
def test_each_back_is_mirrored_behind_its_front(deck: Deck, per_page: int, paper: str) -> None:
    result, data = build(deck, per_page=per_page, paper=paper)
    layout: CardLayout = result.details["layout"]
    placements: list[Placement] = list(result.details["placements"])
    fronts = [p for p in placements if p.side == "front"]
    backs = {(p.page, p.key): p for p in placements if p.side == "back"}
    assert len(backs) == len(fronts)
    for front in fronts:
        back = backs[(front.page + 1, front.key)]  # the back page follows its front page
        mirrored_x = layout.page_width - front.box.x - front.box.width
        assert abs(back.box.x - mirrored_x) <= 1 * mm
        assert abs(back.box.y - front.box.y) <= 1 * mm
        assert (back.box.width, back.box.height) == (front.box.width, front.box.height)

    # The same from what the PDF really draws: the id in a front's footer (right-aligned at
    # the card's inner edge) and on its back (centred) must sit on the same card after the
    # flip.
    reader = pypdf.PdfReader(io.BytesIO(data))
    inset = styles.CARD_SIZES[per_page].inset
    checked = 0
    for page_index in range(0, len(reader.pages), 2):
        front_ids = {t: (x, s) for t, x, _, s in _ids_with_positions(reader.pages[page_index])}
        for text, x, _, size in _ids_with_positions(reader.pages[page_index + 1]):
            back_centre = x + stringWidth(text, styles.FONT_BOLD, size) / 2
            front_x, front_size = front_ids[text]
            front_right = front_x + stringWidth(text, styles.FONT_BOLD, front_size)
            front_centre = front_right + inset - layout.card_width / 2
            assert abs((layout.page_width - back_centre) - front_centre) <= 1 * mm, text
            checked += 1
    assert checked == CARDS_IN_DEFAULT_DECK - 1  # every card but the title card has an id


@pytest.mark.parametrize("per_page", [4, 8])
def test_fonts_are_embedded_and_never_helvetica(deck: Deck, per_page: int) -> None:
    _, data = build(deck, per_page=per_page)
    assert_fonts_embedded_not_standard(data)


def test_invariant_builds_are_repeatable_and_paths_work(deck: Deck, tmp_path: Path) -> None:
    _, first = build(deck, per_page=8)
    _, second = build(deck, per_page=8)
    assert first == second
    build_cards(deck, tmp_path / "cards.pdf", per_page=8, invariant=True)
    build_cards(deck, str(tmp_path / "cards2.pdf"), per_page=8, invariant=True)
    assert (tmp_path / "cards.pdf").read_bytes() == first == (tmp_path / "cards2.pdf").read_bytes()


def test_cli_writes_the_default_file_in_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["cards"]) == 0
    out = capsys.readouterr()
    target = tmp_path / "keskustelukortit.pdf"
    assert str(target) in out.out and out.err == ""
    assert page_count(target.read_bytes()) == 20
    assert main(["cards", "--lang", "en", "--per-page", "8", "--no-backs",
                 "--paper", "letter"]) == 0
    english = (tmp_path / "discussion-cards.pdf").read_bytes()
    assert page_count(english) == 5
    assert abs(page_size(english)[0] - 612) < 1
    assert main(["cards", "-o", str(tmp_path / "own.pdf")]) == 0
    assert (tmp_path / "own.pdf").is_file()


@pytest.mark.parametrize("args", [["cards", "--per-page", "6"], ["cards", "--paper", "a3"],
                                  ["cards", "--deck", "missing.toml"],
                                  ["cards", "-o", "/no/such/folder/x.pdf"]])
def test_cli_bad_input_is_one_line_and_exit_2(
        args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("tyopaja: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.part"))


def test_missing_glyphs_print_as_a_placeholder_and_are_counted_once(deck: Deck) -> None:
    data_dict = deck.to_dict()
    # 🧬 and 🫠 are in neither font (🎉 is in the fallback one: it prints, not counted).
    data_dict["areas"][0]["practices"][1]["text"] = {"fi": "Kuuntelu 🧬 ja 🫠 🎉 juhla",
                                                      "en": "Listening"}
    result, data = build(parse_deck(data_dict), per_page=4)
    assert result.missing == 2
    assert "Kuuntelu \ufffd ja \ufffd 🎉 juhla" in all_text(data)
    clean, _ = build(deck)
    assert clean.missing == 0


def test_building_cards_does_not_import_platypus(tmp_path: Path) -> None:
    """Importing reportlab.platypus alone took longer than drawing every card (issue 5): the
    cards set their text straight on the canvas. Checked in a fresh interpreter, since this
    test session has long imported it."""
    code = (
        "import sys\n"
        "from kit.deck import load_deck\n"
        "from kit.exports.cards import build_cards\n"
        f"build_cards(load_deck(), {str(tmp_path / 'cards.pdf')!r}, invariant=True)\n"
        "print(sorted(m for m in sys.modules if m.startswith('reportlab.platypus')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"
    assert page_count((tmp_path / "cards.pdf").read_bytes()) == 20
