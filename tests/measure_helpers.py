"""Measuring printed pages as a print designer would: type sizes, marks, contrast in grey."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pdfplumber
from reportlab.lib import colors

from kit.exports import styles

MM = 72 / 25.4


def pages(data: bytes) -> Iterator[Any]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        yield from pdf.pages


def word_sizes(page: Any) -> list[tuple[str, float]]:
    """Every word of a page with its font size in points, as the PDF places it."""
    return [(w["text"], round(float(w["size"]), 2))
            for w in page.extract_words(extra_attrs=["size"], keep_blank_chars=False)]


def smallest_type(data: bytes) -> float:
    return min(round(float(c["size"]), 2) for page in pages(data) for c in page.chars
               if c["text"].strip())


def marks(page: Any) -> list[tuple[str, float, float, float, float]]:
    """Every visible mark of a page: characters, rectangles, lines and curves, as boxes."""
    found = [("char", c["x0"], c["top"], c["x1"], c["bottom"])
             for c in page.chars if c["text"].strip()]
    for kind in ("rects", "lines", "curves"):
        found += [(kind, o["x0"], o["top"], o["x1"], o["bottom"]) for o in getattr(page, kind)]
    return found


def as_colour(value: Any) -> colors.Color | None:
    """A pdfplumber colour (grey, RGB or CMYK tuple) as a reportlab colour."""
    if value is None:
        return None
    if isinstance(value, int | float):
        value = (value,)
    value = tuple(float(v) for v in value)
    if len(value) == 1:
        return colors.Color(value[0], value[0], value[0])
    if len(value) == 3:
        return colors.Color(*value)
    if len(value) == 4:
        c, m, y, k = value
        return colors.Color((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def text_on_fills(page: Any) -> list[tuple[str, colors.Color, colors.Color]]:
    """(character, its colour, the filled shape under it) for text set on a coloured fill.

    The fill is the last-drawn filled rectangle or path whose box holds the character's
    centre; characters on white paper are left out.
    """
    fills = [o for o in [*page.rects, *page.curves] if o.get("fill")]
    out = []
    for char in page.chars:
        if not char["text"].strip():
            continue
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        under = [f for f in fills if f["x0"] <= x <= f["x1"] and f["top"] <= y <= f["bottom"]]
        if not under:
            continue
        fill = as_colour(under[-1]["non_stroking_color"])
        ink = as_colour(char["non_stroking_color"])
        if fill is None or ink is None or styles.luminance(fill) > 0.95:
            continue
        out.append((char["text"], ink, fill))
    return out


def _relative(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def wcag_luminance(rgb: tuple[float, float, float]) -> float:
    r, g, b = rgb
    return 0.2126 * _relative(r) + 0.7152 * _relative(g) + 0.0722 * _relative(b)


def printed_grey(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """What a black-and-white laser (and `pdftoppm -gray`) makes of a colour: its luma."""
    r, g, b = rgb
    y = 0.299 * r + 0.587 * g + 0.114 * b
    return (y, y, y)


def grey_contrast(ink: colors.Color, fill: colors.Color) -> float:
    """The WCAG contrast of text on a fill once both are printed in grey (computed here, not
    by the code under test)."""
    one = wcag_luminance(printed_grey((ink.red, ink.green, ink.blue)))
    two = wcag_luminance(printed_grey((fill.red, fill.green, fill.blue)))
    high, low = max(one, two), min(one, two)
    return (high + 0.05) / (low + 0.05)
