"""The summary digest: the workshop's results as a few lines of plain text for a QR code.

A phone camera reads the code with no network, so the text itself is the message: who and
when, the strongest practices, the development priorities by dots, and the action items.
It stays under `MAX_BYTES` of UTF-8: a version 10 code at error correction M with the UTF-8 ECI
marker holds 212 bytes, and at 1 mm a module that is 65 mm square, which a phone reads off
paper at arm's length (and zbar at 100 dpi, slightly blurred). Words only, a line an item:
card ids, figures and who-does-it cost bytes a phrase needs, and all are on the sheet. Long
texts are shortened after a whole word with "…", never mid-word; what is left out is
counted. The printed summary sheet and the app's QR screen both call `summary_digest`; the
screen passes a smaller budget when its window cannot show a code that big, and says so.

No reportlab and no textual here: the app imports this module.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from kit.i18n import t
from kit.report import Report

MAX_BYTES = 210
ELLIPSIS = "…"
MIN_ITEM = 12  # characters an item keeps at least
READABLE = 28  # characters an item should keep to say what it is, before items are left out


def format_date(iso: str, lang: str) -> str:
    """A session date as people write it: "12.3.2027" in Finnish, "12 March 2027" in English."""
    try:
        day = _dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    month = t(f"print.month.{day.month}", lang)
    return t("print.date", lang, d=day.day, m=day.month, y=day.year, month=month)


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut after a whole word and ending in "…".

    A first word longer than `limit` is kept whole: a word cut in two reads as a typo.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1) + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > 0 else text.split(" ", 1)[0]
    return cut.rstrip(" ,;:.–-") + ELLIPSIS


def _fits(text: str, max_bytes: int) -> bool:
    return len(text.encode("utf-8")) <= max_bytes


def _cut_lines(text: str, max_bytes: int) -> str:
    """The last resort: whole lines from the top, then whole words of the first line, with
    "…" where something was left out."""
    lines = text.split("\n")
    while len(lines) > 1 and not _fits("\n".join([*lines, ELLIPSIS]), max_bytes):
        lines.pop()
    if len(lines) > 1:
        return "\n".join([*lines, ELLIPSIS])
    words = lines[0].split(" ")
    while len(words) > 1 and not _fits(" ".join(words) + ELLIPSIS, max_bytes):
        words.pop()
    line = " ".join(words).rstrip(" ,;:.–-")
    if _fits(line, max_bytes):
        return line if len(words) == len(lines[0].split(" ")) else line + ELLIPSIS
    # One word longer than the whole code holds: only here is a word cut, at a character.
    room = max_bytes - len(ELLIPSIS.encode("utf-8"))
    return line.encode("utf-8")[:room].decode("utf-8", "ignore") + ELLIPSIS


def summary_digest(report: Report, lang: str, max_bytes: int = MAX_BYTES) -> str:
    """The results in at most `max_bytes` UTF-8 bytes of plain text, in `lang`."""
    meta, deck = report.meta, report.deck
    who = meta.association or meta.title or deck.short_title(lang)
    date = format_date(meta.date, lang)

    # Words only: a card id or a figure costs bytes a phrase needs, and both are on the sheet.
    # (heading, [(before, text, after)], is the action items): only texts get shortened
    sections: list[tuple[str, list[tuple[str, str, str]], bool]] = []
    # ...but "⇄" (opinions split) stays: it changes what the result means.
    strengths = [("", r.practice.text(lang), " ⇄" if r.split else "") for r in report.strengths]
    priorities = [("", r.practice.text(lang), " ⇄" if r.split else "")
                  for r in report.priorities]
    actions = []
    for action in report.actions:
        actions.append(("", action.what, ""))  # who and by when: on the sheet
    for key, items in (("print.digest.strengths", strengths),
                       ("print.digest.priorities", priorities),
                       ("print.digest.actions", actions)):
        if items:
            sections.append((t(key, lang), items, key == "print.digest.actions"))

    def render(limit: int, keep: int) -> str:
        """Each section's first `keep` items, each text in at most `limit` characters."""
        lines = [f"{shorten(who, max(limit * 2, 40))}, {date}"]
        for heading, items, _ in sections:
            shown = items[:keep]
            lines.append(heading)
            lines += [f"- {pre}{shorten(text, limit)}{post}" for pre, text, post in shown]
            if len(shown) < len(items):  # counted on the last line shown: "(+2 muuta)"
                lines[-1] += f" ({t('print.digest.more', lang, n=len(items) - len(shown))})"
        return "\n".join(lines)

    # Readable items first: fewer of them, each with enough words to say what it is, rather
    # than every item cut to a word or two. So: the most items per section whose texts can
    # keep READABLE characters; failing that one item each, as long as it fits.
    longest = max((len(text) for _, items, _ in sections for _, text, _ in items), default=0)
    most = max((len(items) for _, items, _ in sections), default=0)
    whole = render(max(longest, MIN_ITEM), most)
    if _fits(whole, max_bytes):
        return whole
    for keep in range(most, 0, -1):
        best = _largest(lambda limit, k=keep: _fits(render(limit, k), max_bytes),
                        MIN_ITEM, max(longest, MIN_ITEM))
        if best is not None and (best >= min(READABLE, longest) or keep == 1):
            return render(best, keep)
    return _cut_lines(render(MIN_ITEM, 1 if most else 0), max_bytes)


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
