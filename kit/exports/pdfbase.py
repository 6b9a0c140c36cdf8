"""What the PDF builders share: where the bytes go, user text made printable, what a build says.

User text reaches paper two ways, and each needs its own treatment:

- in a `Paragraph`, reportlab reads the text as markup, so `<b>` or `&` typed in a comment must
  be escaped (`Printable.markup`);
- in `drawString`, plain table cells and `lines.Lines` it is not markup, so it must not be
  escaped (`Printable.plain`, `Printable.text`), or "&" would print as "&amp;".

Both replace characters the embedded font cannot draw with a visible placeholder and count
them, so the CLI can warn instead of printing silent boxes.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from typing import IO, Any

from kit.exports import styles

# A path (str or PathLike) or a writable binary stream: reportlab accepts both.
Target = str | os.PathLike[str] | IO[bytes]

_DROP = {"Mn", "Me", "Cf"}  # marks and format characters: invisible on their own


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
        return self._glyphs(" ".join(text.split("\n")))

    def text(self, text: str) -> str:
        """For `lines.Lines`: glyphs checked, line breaks kept, no escaping."""
        return self._glyphs(text)

    def markup(self, text: str) -> str:
        """For a `Paragraph`: glyphs checked, markup characters escaped, line breaks kept."""
        lines = self._glyphs(text).split("\n")
        return "<br/>".join(escape(line) for line in lines)

    def _glyphs(self, text: str) -> str:
        if self._covered.issuperset(map(ord, text.replace("\n", " "))):
            return text  # the usual case, checked in C: every character has its glyph
        out: list[str] = []
        in_sequence = False  # just printed a placeholder: its modifiers and joiners belong to it
        joined = False  # ...and a zero-width joiner glues the next character to it too
        for char in text:
            category = unicodedata.category(char)
            is_covered = ord(char) in self._covered
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
