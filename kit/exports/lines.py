"""Text measured once: a cheap stand-in for `Paragraph` where thousands of comments are printed.

A reportlab `Paragraph` parses its markup and breaks its lines in pure Python on every wrap and
split (a few milliseconds each), so a summary with 10,000 comments took a minute. `Lines` takes
plain runs (text in one font, size and colour), measures each distinct word once, breaks the
lines exactly as `Paragraph` does (greedy, with reportlab's space shrinkage, a line break for
"\\n") and draws them with one text object, so the page looks the same. Text outside that
simple case (a word wider than the column, unusual white space, a soft hyphen) is handed to a
real `Paragraph` built from the same runs: nothing is ever cut or set differently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from kit.exports import glyphs, styles
from kit.exports.pdfbase import escape

# One ordinary space between words, nothing else that reportlab treats as white space or as a
# hyphenation point; "\n" only between two such lines; a space may start or end the run (the
# gap to the run before or after it).
_WORDS = r"[^\s\u00a0\u00ad\u200b\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
_SIMPLE = re.compile(rf" ?{_WORDS}(?: {_WORDS})*(?:\n{_WORDS}(?: {_WORDS})*)* ?")
_faces: dict[tuple[str, float], dict[str, float]] = {}


def _widths(font: str, size: float) -> dict[str, float]:
    """The widths measured so far in one face (comments repeat their words: each is measured
    once; a dict per face, so that a lookup needs no key tuple built per word)."""
    widths = _faces.get((font, size))
    if widths is None:
        widths = _faces[(font, size)] = {}
    return widths


def _width(text: str, font: str, size: float) -> float:
    """`stringWidth`, cached."""
    widths = _widths(font, size)
    width = widths.get(text)
    if width is None:
        width = widths[text] = _measure(text, font, size)
    return width


def _measure(text: str, font: str, size: float) -> float:
    """`stringWidth`; right-to-left text as wide as it is shaped."""
    if not glyphs.has_rtl(text):
        return float(stringWidth(text, font, size))
    return sum(glyphs.shape_rtl(part, font, size)[1] if rtl else stringWidth(part, font, size)
               for rtl, part in glyphs.rtl_pieces(text))


@dataclass(frozen=True)
class Run:
    """Plain text (not markup) in one font, size and colour; "\\n" starts a new line."""

    text: str
    font: str
    size: float
    colour: Color


class _Word(NamedTuple):
    """A word: its pieces, its width, and the space after it (in `gap`'s font), if any.

    A NamedTuple, not a dataclass: there is one per word of every comment."""

    pieces: tuple[tuple[Run, str], ...]
    width: float
    after: float = 0.0
    gap: Run | None = None


_BREAK = None  # a forced line break ("\n") among the words
_Item = _Word | None


@dataclass(frozen=True)
class _Line:
    """One line: its (run, text) pieces, word count, width left over, type size, first item."""

    pieces: tuple[tuple[Run, str], ...]
    words: int
    extra: float
    size: float
    start: int


def _items(runs: Sequence[Run]) -> list[_Item]:
    """The words and line breaks of `runs`; a space belongs to the run it is typed in."""
    out: list[_Item] = []
    append = out.append
    for run in runs:
        font, size = run.font, run.size
        widths = _widths(font, size)
        space = _width(" ", font, size)
        for n, line in enumerate(run.text.split("\n")):
            if n:
                append(_BREAK)
            last = out[-1] if out else None
            if line.startswith(" ") and last is not None:
                out[-1] = _Word(last.pieces, last.width, space, run)
            words = line.split()
            if not words:
                if line.endswith(" ") and last is not None:
                    out[-1] = _Word(last.pieces, last.width, space, run)
                continue
            glued = (not n and not line.startswith(" ") and last is not None
                     and not last.after and last.gap is None)
            for word in words:  # the hot loop of a long summary: every word of every comment
                width = widths.get(word)
                if width is None:
                    width = widths[word] = _measure(word, font, size)
                if glued:  # a word that goes on in another run (a symbol in the fallback font)
                    glued = False
                    previous = out[-1]
                    out[-1] = _Word((*previous.pieces, (run, word)), previous.width + width,
                                    space, run)
                    continue
                append(_Word(((run, word),), width, space, run))
            if not line.endswith(" "):  # the last word has no space after it
                final = out[-1]
                out[-1] = _Word(final.pieces, final.width)
    return out


def _runs(items: Sequence[_Item]) -> list[Run]:
    """Items back as runs (for the Paragraph that takes over a part of a split)."""
    out: list[Run] = []

    def add(run: Run, text: str) -> None:
        if out and out[-1].font == run.font and out[-1].size == run.size \
                and out[-1].colour == run.colour:
            out[-1] = Run(out[-1].text + text, run.font, run.size, run.colour)
        else:
            out.append(Run(text, run.font, run.size, run.colour))

    for n, item in enumerate(items):
        if item is None:
            if out:
                add(out[-1], "\n")
            continue
        for run, text in item.pieces:
            add(run, text)
        if item.gap is not None and n + 1 < len(items) and items[n + 1] is not None:
            add(item.gap, " ")
    return out


class Lines(Flowable):
    """Runs laid out as a `Paragraph` with `style` and `bullet` would lay them out."""

    def __init__(self, runs: Sequence[Run], style: ParagraphStyle, bullet: str | None = None,
                 *, items: list[_Item] | None = None) -> None:
        super().__init__()
        self.style = style
        self.bullet = bullet
        runs = glyphs.split_runs(runs, styles.covered())  # what DejaVu lacks, in the fallback
        self.simple = items is not None or all(_SIMPLE.fullmatch(r.text) for r in runs)
        self._runs = tuple(runs)
        self._items = items if items is not None else (_items(runs) if self.simple else [])
        self._lines: list[_Line] | None = None
        self._broken_at: float | None = None
        self._paragraph: Paragraph | None = None

    # measuring ------------------------------------------------------------------------------

    def _break(self, width: float) -> list[_Line] | None:
        """The lines at `width`, as `Paragraph.breakLines` makes them; None for a word wider
        than the line (the Paragraph splits it, and so must we)."""
        limit = width - self.style.leftIndent - self.style.rightIndent
        shrinkage = self.style.spaceShrinkage or 0
        lines: list[_Line] = []
        pieces: list[tuple[Run, str]] = []
        words = start = 0
        current = space = gaps = size = 0.0
        gap: Run | None = None

        def finish() -> None:
            lines.append(_Line(tuple(pieces), words, limit - current,
                               size or (lines[-1].size if lines else self.style.fontSize),
                               start))

        def add(run: Run, text: str) -> None:
            if pieces and pieces[-1][0] is run:
                pieces[-1] = (run, pieces[-1][1] + text)
            else:
                pieces.append((run, text))

        for index, item in enumerate(self._items):
            if item is None:
                finish()
                pieces, words, start = [], 0, index + 1
                current = space = gaps = size = 0.0
                continue
            new = current + space + item.width if item.width > 0 else current
            if new > limit + shrinkage * (space + gaps):
                if item.width > limit:
                    return None
                if words:
                    finish()
                    pieces, words, start = [], 0, index
                    current = space = gaps = size = 0.0
                    new = item.width
            if words and space and gap is not None:
                gaps += space
                add(gap, " ")
            for run, text in item.pieces:
                add(run, text)
                size = max(size, run.size)
            words += 1
            current, space, gap = new, item.after, item.gap
        if pieces or not lines:
            finish()
        return lines

    def _fallback(self) -> Paragraph:
        """The same text as markup for a real Paragraph (escaped here: runs are plain)."""
        if self._paragraph is None:
            runs = self._runs or _runs(self._items)
            markup = "".join(
                f'<font name="{run.font}" size="{run.size}" color="#{run.colour.hexval()[2:]}">'
                + "<br/>".join(glyphs.markup(line, styles.covered(), escape)
                               for line in run.text.split("\n")) + "</font>"
                for run in runs)
            self._paragraph = Paragraph(markup, self.style, bulletText=self.bullet)
        return self._paragraph

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.simple and self._broken_at != available_width:
            self._lines = self._break(available_width)
            self._broken_at = available_width
            self.simple = self._lines is not None
        if not self.simple:
            return self._fallback().wrap(available_width, available_height)
        assert self._lines is not None
        self.width, self.height = available_width, len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if not self.simple:
            return self._fallback().split(available_width, available_height)
        self.wrap(available_width, available_height)
        if not self.simple:
            return self._fallback().split(available_width, available_height)
        assert self._lines is not None
        fit = int(available_height / self.style.leading)
        if fit == 0:
            return []
        if fit >= len(self._lines):
            return [self]
        cut = self._lines[fit].start
        first = Lines((), self.style, self.bullet, items=self._items[:cut])
        first._lines, first._broken_at = self._lines[:fit], available_width
        rest = Lines((), self.style, None, items=self._items[cut:])
        return [first, rest]

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    # drawing -------------------------------------------------------------------------------

    def draw(self) -> None:
        if not self.simple:
            paragraph = self._fallback()
            paragraph.canv = self.canv
            try:
                paragraph.draw()
            finally:
                del paragraph.canv
            return
        assert self._lines is not None
        style, leading = self.style, self.style.leading
        y = self.height - self._lines[0].size  # as reportlab: the first line's largest type
        # One text object for the bullet and every line; drawOn already saves the state.
        font: tuple[str, float] | None = None
        colour: Color | None = None
        offset = 0.0
        if self.bullet:
            text = self.canv.beginText(style.bulletIndent,
                                       y + getattr(style, "bulletOffsetY", 0))
            font = (style.bulletFontName, style.bulletFontSize)
            colour = getattr(style, "bulletColor", style.textColor)
            text.setFont(*font)
            text.setFillColor(colour)
            text._textOut(self.bullet)
            end = style.bulletIndent + _width(self.bullet, *font) + style.bulletFontSize * 0.6
            offset = max(0.0, end - style.leftIndent)  # a wide bullet pushes the line along
            text.setTextOrigin(style.leftIndent + offset, y)
        else:
            text = self.canv.beginText(style.leftIndent, y)
        for n, line in enumerate(self._lines):
            if n:
                text.setTextOrigin(style.leftIndent, y - n * leading)
            spaced = line.extra < -1e-8 and line.words > 1
            if spaced:  # reportlab's space shrinkage: a line a little too long is tightened
                text.setWordSpace(line.extra / (line.words - 1))
            rtl = any(glyphs.has_rtl(piece) for _run, piece in line.pieces)
            x = style.leftIndent + (offset if n == 0 else 0.0)
            for run, piece in line.pieces:
                if font is None or font[0] != run.font or font[1] != run.size:
                    font = (run.font, run.size)
                    text.setFont(run.font, run.size)
                if colour is not run.colour:
                    colour = run.colour
                    text.setFillColor(run.colour)
                if rtl:
                    word_space = line.extra / (line.words - 1) if spaced else 0.0
                    x = _draw_mixed(text, piece, run, x, y - n * leading, word_space)
                else:
                    text._textOut(piece)  # textOut would measure it again, for nothing
            if spaced:
                text.setWordSpace(0)
        self.canv.drawText(text)


def _draw_mixed(text: Any, piece: str, run: Run, x: float, y: float, word_space: float) -> float:
    """A piece with right-to-left parts: each part shaped and set right to left at its place,
    the rest as usual; returns where the piece ends."""
    for rtl, part in glyphs.rtl_pieces(piece):
        if rtl:
            shaped, width = glyphs.shape_rtl(part, run.font, run.size)
            for glyph in shaped:
                text.setTextOrigin(x + glyph.x, y + glyph.y)
                text._textOut(glyph.char)
            x += width + part.count(" ") * word_space
            text.setTextOrigin(x, y)
        else:
            text._textOut(part)
            x += _width(part, run.font, run.size) + part.count(" ") * word_space
    return x
