"""DejaVu Sans that draws what it lacks from the fallback symbol font, wherever text is set.

Paragraphs and `lines.Lines` switch to the fallback font (`glyphs.FALLBACK`) in their own
markup and runs, but most of what the kit prints is drawn with `drawString` or as plain table
cells: card text, posters, slips, table cells, footers. Rather than split every such line
by hand, the main fonts are registered as `WithFallback`: reportlab asks a font to cut a
string into its subsets (`splitString`) and to name each subset (`getSubsetInternalName`)
when it writes text. Here a stretch this font has no glyph for but the fallback font has
becomes subsets of the fallback font (numbered from `_OFFSET`, so reportlab switches font
with `Tf` between the runs). Those characters carry the fallback font's widths, so
reportlab's own width function (`stringWidth`: line breaks, cuts, centring, columns)
measures what is printed, at no extra cost per call. The symbol font is embedded only in a
PDF that draws from it. A character neither font has still prints as this font's notdef;
`pdfbase.Printable` puts the visible placeholder there first and counts it.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.ttfonts import TTFont

_OFFSET = 1 << 16  # fallback subsets; DejaVu's ~6,000 glyphs make fewer than 30 of its own


class WithFallback(TTFont):
    """A TrueType font whose missing characters come from `fallback`."""

    def __init__(self, name: str, filename: str, fallback: TTFont) -> None:
        super().__init__(name, filename)
        self.fallback = fallback
        # What only the fallback font draws. Fixed: the code points `glyphs` adds to a face
        # for shaped right-to-left glyphs are private ones the fallback font never has.
        self._extra = frozenset(fallback.face.charToGlyph).difference(self.face.charToGlyph)
        # Measured as the fallback draws them, by reportlab's own (C) width function: the
        # widths are per code point in thousandths of the size in both fonts, and this font's
        # PDF widths are written only for the code points it draws itself.
        self._extra_chars = frozenset(map(chr, self._extra))
        widths, extra_widths = self.face.charWidths, fallback.face.charWidths
        for code in self._extra:
            widths[code] = extra_widths[code]

    def _needs(self, text: Any) -> bool:
        # As characters, not code points: isdisjoint over a str is three times faster than
        # over map(ord, ...), and this runs for every string drawn.
        return isinstance(text, str) and not text.isascii() and not self._extra_chars.isdisjoint(
            text)

    def parts(self, text: str) -> list[tuple[bool, str]]:
        """`text` as (from the fallback font, part), cut where the font changes."""
        extra = self._extra
        out: list[tuple[bool, str]] = []
        for char in text:
            use = ord(char) in extra
            if out and out[-1][0] == use:
                out[-1] = (use, out[-1][1] + char)
            else:
                out.append((use, char))
        return out

    def splitString(self, text: Any, doc: Any,
                    encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        if not self._needs(text):
            return super().splitString(text, doc, encoding)
        out: list[tuple[int, bytes]] = []
        for use, part in self.parts(text):
            if use:
                out += [(subset + _OFFSET, codes)
                        for subset, codes in self.fallback.splitString(part, doc, encoding)]
            else:
                out += super().splitString(part, doc, encoding)
        return out

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:
        if subset >= _OFFSET:
            return self.fallback.getSubsetInternalName(subset - _OFFSET, doc)
        return super().getSubsetInternalName(subset, doc)
