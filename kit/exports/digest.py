"""The summary digest: the workshop's results as a few lines of plain text for a QR code.

A phone camera reads the code with no network, so the text itself is the message: who and
when, the strongest practices, the development priorities by dots, and the action items.
It stays under `MAX_BYTES` of UTF-8 (a QR code a phone still reads off paper at arm's length);
long texts are shortened with "…" rather than left out. The printed summary sheet and the
app's QR screen both call `summary_digest`, so they always hold the same text.

No reportlab and no textual here: the app imports this module.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from kit.i18n import t
from kit.report import PracticeResult, Report

MAX_BYTES = 350
ELLIPSIS = "…"
MIN_ITEM = 12  # characters an item keeps at least before items start to be left out


def format_date(iso: str, lang: str) -> str:
    """A session date as people write it: "12.3.2027" in Finnish, "12 March 2027" in English."""
    try:
        day = _dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    month = t(f"print.month.{day.month}", lang)
    return t("print.date", lang, d=day.day, m=day.month, y=day.year, month=month)


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut at a word where one is near, ending in "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space >= len(cut) - 6:  # end at a word when that loses little; else mid-word
        cut = cut[:space]
    return cut.rstrip(" ,;:.–-") + ELLIPSIS


def _fits(text: str, max_bytes: int) -> bool:
    return len(text.encode("utf-8")) <= max_bytes


def _cut_bytes(text: str, max_bytes: int) -> str:
    """The last resort: whole characters up to the byte limit, ending in "…"."""
    room = max_bytes - len(ELLIPSIS.encode("utf-8"))
    data = text.encode("utf-8")[:room]
    return data.decode("utf-8", "ignore").rstrip() + ELLIPSIS


def summary_digest(report: Report, lang: str, max_bytes: int = MAX_BYTES) -> str:
    """The results in at most `max_bytes` UTF-8 bytes of plain text, in `lang`."""
    meta, deck = report.meta, report.deck
    who = meta.association or meta.title or deck.short_title(lang)
    date = format_date(meta.date, lang)

    def figure(text: str, result: PracticeResult) -> str:
        return f" {text}{' ⇄' if result.split else ''}"  # ⇄: opinions split

    # (heading, [(before, text, after)], is the action items): only texts get shortened
    sections: list[tuple[str, list[tuple[str, str, str]], bool]] = []
    top = deck.scale[0].symbol
    strengths = [(f"{r.practice.card_id} ", r.practice.text(lang),
                  figure(f"{top}{r.top}/{r.total.known}", r)) for r in report.strengths]
    priorities = [(f"{r.practice.card_id} ", r.practice.text(lang),
                   figure(t("print.digest.dots", lang, n=r.dots), r)) for r in report.priorities]
    actions = []
    for action in report.actions:
        details = ", ".join(part for part in (action.who, action.due) if part)
        actions.append(("", action.what, f" ({details})" if details else ""))
    for key, items in (("print.digest.strengths", strengths),
                       ("print.digest.priorities", priorities),
                       ("print.digest.actions", actions)):
        if items:
            sections.append((t(key, lang), items, key == "print.digest.actions"))

    def render(limit: int, keep_actions: int) -> str:
        lines = [f"{shorten(who, max(limit * 2, 40))}, {date}"]
        for heading, items, is_actions in sections:
            lines.append(heading)
            shown = items[:keep_actions] if is_actions else items
            for pre, text, post in shown:
                lines.append(f"- {pre}{shorten(text, limit)}{post}")
            if len(shown) < len(items):
                lines.append(ELLIPSIS + t("print.digest.more", lang, n=len(items) - len(shown)))
        return "\n".join(lines)

    longest = max((len(text) for _, items, _ in sections for _, text, _ in items), default=0)
    longest = max(longest, MIN_ITEM)
    best = _largest(lambda limit: _fits(render(limit, len(actions)), max_bytes),
                    MIN_ITEM, longest)
    if best is not None:
        return render(best, len(actions))
    # Too many action items even when every text is short: leave the last ones out, say so.
    keep = _largest(lambda n: _fits(render(MIN_ITEM, n), max_bytes), 0, len(actions))
    if keep is not None:
        return render(MIN_ITEM, keep)
    return _cut_bytes(render(MIN_ITEM, 0), max_bytes)


def _largest(ok: Callable[[int], bool], low: int, high: int) -> int | None:
    """The largest n in [low, high] with ok(n), assuming ok is true up to some n; else None."""
    if not ok(low):
        return None
    while low < high:
        middle = (low + high + 1) // 2
        if ok(middle):
            low = middle
        else:
            high = middle - 1
    return low
