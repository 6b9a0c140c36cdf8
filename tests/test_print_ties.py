"""Line-break hygiene: a number keeps its unit, a symbol its number, a bullet its first word."""

from __future__ import annotations

import io
import re

import pytest
from print_helpers import hostile_session, page_texts

from kit.deck import Deck
from kit.demo import create_demo
from kit.exports.cards import build_cards
from kit.exports.posters import PosterOptions, build_posters
from kit.exports.summary import SummaryOptions, build_summary
from kit.exports.ties import NBSP, tie
from kit.report import build_report
from kit.store import Store

# A symbol, dash or bullet left dangling at the end of a line, after a space (a line that is
# only a symbol is a heading, and "meillä?" ends a question).
DANGLING = re.compile(r"\s[✓~!?●■◆▲♥•–·]$")


@pytest.mark.parametrize(("text", "tied"), [
    ("Pisteet (3 / hlö)", f"Pisteet (3{NBSP}/{NBSP}hlö)"),
    ("– 50 % Works well", f"–{NBSP}50{NBSP}% Works well"),
    ("· ? 1316", f"·{NBSP}?{NBSP}1316"),
    ("✓ 5 · ~ 3", f"✓{NBSP}5 ·{NBSP}~{NBSP}3"),
    ("• Puhu", f"•{NBSP}Puhu"),
    ("12 mm tarrat, 20 min", f"12{NBSP}mm tarrat, 20{NBSP}min"),
    ("kunnan / kaupungin", "kunnan / kaupungin"),  # words round a slash may break
    ("Kylä! Hei", "Kylä! Hei"),  # an exclamation mark ends a word: not a symbol
])
def test_tie(text: str, tied: str) -> None:
    assert tie(text) == tied


def _lines(data: bytes) -> list[str]:
    return [line.strip() for raw in page_texts(data) for line in raw.splitlines()
            if line.strip()]


def _check(lines: list[str]) -> None:
    for line in lines:
        assert not DANGLING.search(line), line
        assert not line.startswith(("%", "hlö)", "/ hlö")), line


def test_no_break_in_the_summary(store: Store, deck: Deck) -> None:
    for session in (create_demo(store), hostile_session(store, deck)):
        stream = io.BytesIO()
        build_summary(build_report(store.snapshot(session)), stream,
                      options=SummaryOptions(comments=60))
        _check(_lines(stream.getvalue()))


def test_no_break_on_posters_and_cards(deck: Deck) -> None:
    for lang in ("fi", "en"):
        stream = io.BytesIO()
        build_posters(deck, stream, lang=lang, options=PosterOptions(people=4))
        _check(_lines(stream.getvalue()))
        for per_page in (4, 8):
            stream = io.BytesIO()
            build_cards(deck, stream, lang=lang, per_page=per_page)
            _check(_lines(stream.getvalue()))
