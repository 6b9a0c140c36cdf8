"""The rating bars and their legend, readable in black and white.

Each level's segment has its print-safe colour (`styles.level_colour`), its own pattern
(`styles.level_pattern`) and, where it is wide enough, its symbol and count on a plain patch of
the colour, so the text keeps its contrast. Hue is never the only difference: in a grey print
the patterns tell the levels apart and the legend shows the same patterns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.units import mm

from kit.deck import Level
from kit.exports import styles
from kit.exports.ties import NBSP

_SPACING = 2.2 * mm  # between two hatch lines
_LINE = 0.7  # hatch line width, points


def hatch(drawing: Drawing, x: float, y: float, width: float, height: float, pattern: str,
          colour: styles.Color) -> None:
    """`pattern` ("/", "\\", "x", "-", "|", "+" or "") drawn inside the rectangle."""
    def add(x1: float, y1: float, x2: float, y2: float) -> None:
        drawing.add(Line(x1, y1, x2, y2, strokeColor=colour, strokeWidth=_LINE))

    for stroke in pattern.replace("x", "/\\").replace("+", "-|"):
        if stroke == "-":
            for step in range(1, int(height / _SPACING) + 1):
                add(x, y + step * _SPACING, x + width, y + step * _SPACING)
        elif stroke == "|":
            for step in range(1, int(width / _SPACING) + 1):
                add(x + step * _SPACING, y, x + step * _SPACING, y + height)
        elif stroke in "/\\":
            rising = stroke == "/"
            offset = -height
            while offset < width:
                # the line u -> u + height across the rectangle, clipped to its sides
                left, right = max(offset, 0.0), min(offset + height, width)
                if left < right:
                    low, high = left - offset, right - offset
                    if rising:
                        add(x + left, y + low, x + right, y + high)
                    else:
                        add(x + left, y + height - low, x + right, y + height - high)
                offset += _SPACING * 1.4


def bar(scale: Sequence[Level], counts: Mapping[str, int], width: float, height: float,
        size: float, empty: str) -> Drawing:
    """One horizontal stacked bar: a segment per level, its symbol and count inside."""
    drawing = styles.drawing(width, height)
    total = sum(counts.values())
    if not total:
        drawing.add(Rect(0, 0, width, height, fillColor=styles.PALE,
                         strokeColor=styles.RULE, strokeWidth=0.5))
        drawing.add(String(2 * mm, height / 2 - size * 0.36, empty, fontName=styles.font(),
                           fontSize=size, fillColor=styles.INK))
        return drawing
    x = 0.0
    for index, level in enumerate(scale):
        count = counts.get(level.id, 0)
        if not count:
            continue
        segment = width * count / total
        fill = styles.level_colour(index)
        ink = styles.on_colour(fill)
        drawing.add(Rect(x, 0, segment, height, fillColor=fill, strokeColor=None))
        hatch(drawing, x, 0, segment, height, styles.level_pattern(index), ink)
        label = f"{level.symbol}{NBSP}{count}"
        label_width = styles.text_width(label, size, bold=True)
        if label_width + 2 * mm <= segment:
            patch = label_width + 1.6 * mm
            drawing.add(Rect(x + (segment - patch) / 2, height / 2 - size * 0.55, patch,
                             size * 1.1, fillColor=fill, strokeColor=None))
            drawing.add(String(x + segment / 2, height / 2 - size * 0.36, label,
                               fontName=styles.font(bold=True), fontSize=size,
                               fillColor=ink, textAnchor="middle"))
        drawing.add(Line(x + segment, 0, x + segment, height, strokeColor=styles.WHITE,
                         strokeWidth=1.2))
        x += segment
    drawing.add(Rect(0, 0, width, height, fillColor=None, strokeColor=styles.INK,
                     strokeWidth=0.6))
    return drawing


def swatch(index: int, size: float) -> Drawing:
    """A level's colour and pattern as a small square, for the legend."""
    side = size * 1.3
    drawing = styles.drawing(side, side)
    fill = styles.level_colour(index)
    drawing.add(Rect(0, 0, side, side, fillColor=fill, strokeColor=None))
    hatch(drawing, 0, 0, side, side, styles.level_pattern(index), styles.on_colour(fill))
    drawing.add(Rect(0, 0, side, side, fillColor=None, strokeColor=styles.INK,
                     strokeWidth=0.6))
    return drawing
