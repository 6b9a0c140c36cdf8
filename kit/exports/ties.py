"""No-break spaces where a line break would split what belongs together on paper.

reportlab breaks lines at ordinary spaces only, so a no-break space keeps a number with its unit
("50 %", "12 mm", "3 / hlö"), a symbol with its number ("✓ 5", "? 13"), a dash with the figure
it introduces ("– 5/7") and a bullet with its first word. Applied to plain text before any
markup escaping; it never changes what the text says.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

# A number, then a unit or a per-person part.
_UNIT = re.compile(r"(\d) (%|‰|mm\b|cm\b|min\b|€|hlö\b|pistettä\b|piste\b|dots?\b|/)")
_PER = re.compile(r"/ (hlö|each|henkilö)\b")
# A one-character symbol or dash, then a number or word it marks.
_SYMBOL = re.compile(r"(?<![^\s(\u00a0])([✓~!?●■◆▲♥•–—·⇄]) (?=\S)")


def tie(text: str) -> str:
    """`text` with no-break spaces wherever a break would separate its parts."""
    if " " not in text:
        return text
    text = _UNIT.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}", text)
    text = _PER.sub(lambda m: f"/{NBSP}{m.group(1)}", text)
    return _SYMBOL.sub(lambda m: f"{m.group(1)}{NBSP}", text)
