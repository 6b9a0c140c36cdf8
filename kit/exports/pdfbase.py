"""What the PDF builders share: where the bytes go, user text made printable, what a build says.

User text reaches paper two ways, and each needs its own treatment:

- in a `Paragraph`, reportlab reads the text as markup, so `<b>` or `&` typed in a comment must
  be escaped (`Printable.markup`);
- in `drawString`, plain table cells and `lines.Lines` it is not markup, so it must not be
  escaped (`Printable.plain`, `Printable.text`), or "&" would print as "&amp;".

Both replace characters no embedded font can draw with a visible placeholder and count them,
so the CLI can warn instead of printing silent boxes. What DejaVu lacks but the fallback
symbol font has is kept: Paragraphs and `Lines` set it in that font themselves
(`kit.exports.glyphs`), and `drawString` and table cells draw it from there because the main
fonts are registered with the fallback behind them (`kit.exports.fallbackfont`).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from kit.exports import glyphs, styles

# A path (str or PathLike) or a writable binary stream: reportlab accepts both.
Target = str | os.PathLike[str] | IO[bytes]

_DROP = {"Mn", "Me", "Cf"}  # marks and format characters: invisible on their own


def _modifies(char: str) -> bool:
    """A variation selector, an emoji skin tone or a tag: it only changes the glyph before."""
    code = ord(char)
    return (0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F
            or 0xE0100 <= code <= 0xE01EF)


def escape(text: str) -> str:
    """`xml.sax.saxutils.escape`, without its import of urllib, http and email (30 ms)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def target_for_reportlab(target: Target) -> str | IO[bytes]:
    return os.fspath(target) if isinstance(target, str | os.PathLike) else target


@dataclass
class Printable:
    """Makes user text safe for the embedded font and counts what the font lacks."""

    missing: int = 0
    _covered: frozenset[int] = field(default_factory=styles.covered, repr=False)

    def plain(self, text: str) -> str:
        """For `drawString` and plain table cells: glyphs checked, one line, no escaping."""
        return self._glyphs(" ".join(text.split("\n")), glyphs.drawable(self._covered))

    def drawn(self, text: str) -> str:
        """For text drawn line by line with drawString: as `plain`, line breaks kept."""
        return self._glyphs(text, glyphs.drawable(self._covered))

    def text(self, text: str) -> str:
        """For `lines.Lines`: glyphs checked, line breaks kept, no escaping. What DejaVu lacks
        but the fallback font has is kept: `Lines` draws it in that font."""
        return self._glyphs(text, glyphs.drawable(self._covered))

    def markup(self, text: str) -> str:
        """For a `Paragraph`: glyphs checked, markup characters escaped, line breaks kept;
        what DejaVu lacks but the fallback font has is set in that font."""
        lines = self._glyphs(text, glyphs.drawable(self._covered)).split("\n")
        return "<br/>".join(glyphs.markup(line, self._covered, escape) for line in lines)

    def _glyphs(self, text: str, covered: frozenset[int]) -> str:
        if covered.issuperset(map(ord, text.replace("\n", " "))):
            return text  # the usual case, checked in C: every character has its glyph
        out: list[str] = []
        in_sequence = False  # just printed a placeholder: its modifiers and joiners belong to it
        joined = False  # ...and a zero-width joiner glues the next character to it too
        for char in text:
            category = unicodedata.category(char)
            is_covered = ord(char) in covered
            if in_sequence and (category in _DROP or category == "Sk"
                                or (joined and not is_covered)):
                # An emoji's variation selector, skin tone, joiner or joined partner: the one
                # placeholder already printed stands for the whole sequence.
                joined = char == "\u200d"
                continue
            in_sequence = joined = False
            if char == "\n" or is_covered:
                out.append(char)
            elif category == "Zs":  # an odd space: an ordinary one prints the same
                out.append(" ")
            elif category == "Cf":
                continue  # an invisible format character with nothing to attach to
            elif out and _modifies(char):
                continue  # ❤️'s variation selector, 👍🏽's skin tone: the glyph drawn stays as is
            else:
                out.append(styles.PLACEHOLDER)
                self.missing += 1
                in_sequence = True
        return "".join(out)


@dataclass(frozen=True)
class PrintResult:
    """What a build made: pages, and how many characters printed as the placeholder."""

    pages: int
    missing: int
    details: Any = None  # a builder's own record (the cards' placements, for the tests)


def simple_pdf(target: Target, *, page: tuple[float, float], margin: float, title: str,
               content: Callable[[float, Printable], list[Any]],
               invariant: bool = False) -> PrintResult:
    """A document of flowables on plain pages (the comparison, the regional view): `content`
    gets the text width and the `Printable` that counts what could not be drawn."""
    from reportlab.platypus import SimpleDocTemplate

    styles.register_fonts()
    printable = Printable()
    doc = SimpleDocTemplate(target_for_reportlab(target), pagesize=page, leftMargin=margin,
                            rightMargin=margin, topMargin=margin, bottomMargin=margin,
                            title=title, author="tyopaja", invariant=int(invariant),
                            initialFontName=styles.FONT)
    doc.build(content(page[0] - 2 * margin, printable))
    return PrintResult(doc.page, printable.missing)
