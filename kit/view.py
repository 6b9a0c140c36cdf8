"""What the screens say, as plain text: bars, dates, counts and entries in the user's words.

Kept apart from the screens (and free of Textual) so the wording can be tested on its own and
the same bar means the same thing on every screen.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kit.deck import Deck
from kit.entries.base import group_name as group_name  # the screens and exports ask here
from kit.entries.base import level_heading as level_heading
from kit.i18n import t

if TYPE_CHECKING:
    from kit.report import PracticeResult
    from kit.session import Entry, Snapshot

# Comment tags: a symbol beside the word, so the tag reads without colour.
TAG_SYMBOL = {"strength": "★", "idea": "✦", "concern": "!"}

_EIGHTHS = " ▏▎▍▌▋▊▉"
# One fill per scale step, so a stacked bar reads without colour: █ first, ▓ second, …
_FILLS = "█▓▒░"


def bar(count: int, largest: int, width: int) -> str:
    """A horizontal bar `width` cells long at `largest`, drawn in eighths of a cell."""
    if count <= 0 or largest <= 0 or width <= 0:
        return ""
    eighths = max(1, round(min(count, largest) / largest * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def stacked_bar(counts: Sequence[int], width: int) -> str:
    """Counts side by side in one bar of `width` cells, each step in its own fill."""
    total = sum(counts)
    if total <= 0 or width <= 0:
        return "·" * max(0, width)
    cells = [round(c / total * width) for c in counts]
    # Rounding must neither lose nor add cells, and no counted step may vanish.
    for i, c in enumerate(counts):
        if c and not cells[i]:
            cells[i] = 1
    while sum(cells) > width:
        cells[cells.index(max(cells))] -= 1
    while sum(cells) < width:
        cells[cells.index(max(cells))] += 1
    return "".join(_FILLS[i % len(_FILLS)] * n for i, n in enumerate(cells))


def fill(index: int) -> str:
    """The fill of scale step `index` in a stacked bar (for the legend)."""
    return _FILLS[index % len(_FILLS)]


def shorten(text: str, width: int) -> str:
    """One line of at most `width` characters, with "…" where it was cut."""
    text = " ".join(text.split())
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    return text[: max(0, width - 1)].rstrip() + "…"


def format_date(iso: str, lang: str) -> str:
    """A session date as people write it: 12.3.2027 in Finnish, 12 Mar 2027 in English."""
    try:
        day = _dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    if lang == "fi":
        return f"{day.day}.{day.month}.{day.year}"
    return f"{day.day} {t(f'month.{day.month}', lang)} {day.year}"


_FINNISH_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def parse_date(text: str) -> str:
    """A typed date as ISO (VVVV-KK-PP); 12.3.2027 is accepted too. Unparseable: as typed."""
    match = _FINNISH_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return _dt.date(year, month, day).isoformat()
        except ValueError:
            return text.strip()
    return text.strip()


def progress_text(screen: str, number: int, count: int, lang: str) -> str:
    """Where a session is ("osa-alue 2/4", "yhteenveto"), for the saved-sessions list."""
    if screen in ("area", "ballot", "present") and number:
        return t("progress.area", lang, n=number, of=count)
    return t(f"progress.{screen}", lang)


def level_counts(levels: Mapping[str, int], deck: Deck, lang: str) -> str:
    """"✓ hyvin 5 · ~ osin 2 · …": every step named, with its number."""
    return " · ".join(f"{level_heading(lv, lang)} {levels.get(lv.id, 0)}" for lv in deck.scale)


def describe(snapshot: Snapshot, entry: Entry, lang: str) -> str:
    """One entry in words, for "saved" and "undone" messages: its kind says it (kit.entries)."""
    from kit.entries import KINDS

    kind = KINDS.get(entry.kind)
    return entry.kind if kind is None else kind.describe(snapshot, entry.data, lang)


def strength_figure(result: PracticeResult, deck: Deck, lang: str) -> str:
    """ "Toimii hyvin 5/7": the count with its base, never a bare percentage."""
    return t("report.strength", lang, level=deck.scale[0].label(lang), count=result.top,
             of=result.total.known)


def priority_figure(result: PracticeResult, lang: str) -> str:
    """ "4 pistettä" (dots for developing it)."""
    return t("report.dots", lang, n=result.dots)


def split_note(lang: str) -> str:
    """Said beside a practice that is both a strength and a priority."""
    return t("report.split", lang)
