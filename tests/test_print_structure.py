"""What keeps the PDF builds fast, checked by structure rather than by the clock (issue 5):
the summary is laid out once, each comment is broken into lines once and drawn once, planning
draws nothing, and `Lines` breaks text exactly where a reportlab Paragraph would."""

from __future__ import annotations

import io
import math
import random

import pytest
from print_helpers import page_count
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from kit.deck import Deck
from kit.demo import create_demo
from kit.exports import cardtext, flow, styles
from kit.exports.cards import build_cards
from kit.exports.lines import Lines, Run
from kit.exports.summary import SummaryOptions, _Build, _NumberedCanvas, build_summary
from kit.report import build_report
from kit.store import Store


def _many_comments(store: Store, deck: Deck, count: int) -> str:
    session = create_demo(store)
    practices = list(deck.practices())
    for n in range(count):
        store.session(session).add_comment(f"Kommentti {n}: " + "hyvä ajatus " * (n % 13 + 1),
                          ("strength", "idea", "concern")[n % 3],
                          practice_id=practices[n % len(practices)].id, group_id=n % 3 + 1)
    return session


def _count(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    calls = [0]
    original = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_the_summary_is_laid_out_once(store: Store, deck: Deck,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A first pass only to count the pages for "page N/M" doubled the whole cost."""
    stories = _count(monkeypatch, _Build, "story")
    saves = _count(monkeypatch, _NumberedCanvas, "save")
    snapshot = store.snapshot(_many_comments(store, deck, 300))
    stream = io.BytesIO()
    result = build_summary(build_report(snapshot), stream, invariant=True,
                           options=SummaryOptions(comments="all"))
    assert stories[0] == 1 and saves[0] == 1
    assert result.pages == page_count(stream.getvalue()) > 1


def test_choosing_the_comments_that_fit_is_a_binary_search(
        store: Store, deck: Deck, monkeypatch: pytest.MonkeyPatch) -> None:
    """By default the sheet takes the comments that fit two pages: a trial layout per step of
    a binary search over the count, never one per comment."""
    stories = _count(monkeypatch, _Build, "story")
    snapshot = store.snapshot(_many_comments(store, deck, 300))
    result = build_summary(build_report(snapshot), io.BytesIO(), invariant=True)
    comments = len(snapshot.comments)
    assert 0 < result.details["comments"] < comments and result.pages <= 2
    assert stories[0] <= math.ceil(math.log2(comments)) + 3


def test_each_comment_is_broken_and_drawn_once(store: Store, deck: Deck,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Comments are measured once, planning draws nothing, and no Paragraph stands in."""
    breaks = _count(monkeypatch, Lines, "_break")
    draws = _count(monkeypatch, Lines, "draw")
    paragraph_breaks = _count(monkeypatch, Paragraph, "breakLines")
    count = 600
    snapshot = store.snapshot(_many_comments(store, deck, count))
    result = build_summary(build_report(snapshot), io.BytesIO(), invariant=True,
                           options=SummaryOptions(comments="all"))
    comments = len(snapshot.comments)
    # A comment split between columns is one more piece; nothing else is drawn twice.
    pieces = comments + 2 * result.pages
    assert comments <= draws[0] <= pieces
    assert breaks[0] <= pieces
    assert paragraph_breaks[0] < 300  # headings, tables and the footer: not the comments


def test_planning_draws_nothing(store: Store, deck: Deck) -> None:
    """Planning the summary's columns measures on a scratch canvas that must stay empty."""
    build_summary(build_report(store.snapshot(_many_comments(store, deck, 300))), io.BytesIO(),
                  invariant=True)
    assert flow._canvas()._code == []


def test_cards_draw_only_the_chosen_size(deck: Deck, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fitting a card's text tries many sizes; only the chosen one reaches the canvas: the
    text above and the questions against the footer, once per front."""
    draws = _count(monkeypatch, cardtext, "draw")
    result = build_cards(deck, io.BytesIO(), invariant=True)
    fronts = sum(p.side == "front" for p in result.details["placements"])
    assert fronts <= draws[0] <= 2 * fronts


def _paragraph_lines(runs: list[Run], style: styles.ParagraphStyle, width: float) -> list[str]:
    markup = "".join(
        f'<font name="{r.font}" size="{r.size}" color="{styles.hex_colour(r.colour)}">'
        + "<br/>".join(line.replace("&", "&amp;").replace("<", "&lt;")
                       for line in r.text.split("\n")) + "</font>" for r in runs)
    paragraph = Paragraph(markup, style, bulletText="–")
    paragraph.wrap(width, 10_000)
    return [" ".join("".join(getattr(w, "text", "") for w in line.words).split())
            for line in paragraph.blPara.lines]


def test_lines_break_where_a_paragraph_breaks() -> None:
    """`Lines` must set text exactly as the Paragraph it replaces: same words on each line."""
    rng = random.Random(5)
    vocabulary = ["hyvä", "ajatus", "yhdistys", "Жизнь", "a", "kokous&", "<b>",
                  "pitkäsanainenyhdistelmä", "i", "WWWW", "(OS-3,", "Ryhmä", "4)", "—"]
    style = styles.style(styles.SUMMARY_TEXT, indent=styles.SUMMARY_TEXT * 1.2,
                         space_after=0.8 * mm)
    checked = 0
    for _ in range(400):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(1, 60))]
        lines_of_text = [" ".join(words[i:i + 17]) for i in range(0, len(words), 17)]
        text = " " + "\n".join(lines_of_text) + " "
        runs = [Run("Idea:", styles.font(bold=True), styles.SUMMARY_TEXT, styles.MUTED),
                Run(text, styles.font(), styles.SUMMARY_TEXT, styles.INK),
                Run("(PT-2, Ryhmä 2)", styles.font(), styles.SUMMARY_SMALL, styles.MUTED)]
        # the longest word fits (these widths were for 9.5 pt type): no fallback
        width = rng.uniform(150, 300) * styles.SUMMARY_TEXT / 9.5
        lines = Lines(runs, style, bullet="–")
        lines.wrap(width, 10_000)
        assert lines.simple
        assert lines._lines is not None
        ours = [" ".join("".join(text for _, text in line.pieces).split())
                for line in lines._lines]
        assert ours == _paragraph_lines(runs, style, width)
        checked += 1
    assert checked == 400


def test_a_word_wider_than_the_column_goes_to_a_paragraph() -> None:
    style = styles.style(styles.SUMMARY_TEXT, indent=styles.SUMMARY_TEXT * 1.2)
    lines = Lines([Run("x" * 400, styles.font(), styles.SUMMARY_TEXT, styles.INK)], style, "–")
    _, height = lines.wrap(200, 10_000)
    assert not lines.simple and height > style.leading  # wrapped by the Paragraph it became
