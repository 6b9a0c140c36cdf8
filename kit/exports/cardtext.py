"""A card's text set straight on the canvas: greedy lines, shrink-to-fit, continuation faces.

Cards used to be reportlab `Paragraph`s planned in `Frame`s, but importing `reportlab.platypus`
at all (its paragraph module compiles dozens of regular expressions) and wrapping every try
cost more than drawing the whole deck. A card's text is a few plain paragraphs, each in one
font, size and colour, so a greedy line breaker over `stringWidth` sets them just as well.
Nothing here may import `reportlab.platypus` (a test checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from kit.exports import styles

_FUZZ = 1e-6  # as reportlab's frames: a line that fits to a millionth of a point fits
_widths: dict[tuple[str, bool, float], float] = {}


def _width(text: str, bold: bool, size: float) -> float:
    """`styles.text_width`, cached: shrinking measures the same words at each size tried."""
    key = (text, bold, size)
    width = _widths.get(key)
    if width is None:
        width = _widths[key] = styles.text_width(text, size, bold)
    return width


@dataclass(frozen=True)
class Para:
    """A paragraph of plain text (never markup; glyphs already checked); "\\n" breaks a line."""

    text: str
    size: float
    bold: bool = False
    colour: styles.Color = styles.INK
    bullet: str | None = None  # hangs left of every line, in the regular font
    space_after: float = 0


@dataclass(frozen=True)
class Gap:
    """Empty space of a fixed height."""

    height: float


BOTTOM = "bottom"  # what follows (a practice card's questions) is drawn against the footer

Item = Para | Gap | str


@dataclass(frozen=True)
class Block:
    """An item set at a width: its lines (a gap has none), height and the space after it."""

    para: Para | None
    lines: tuple[str, ...] = ()
    height: float = 0
    space_after: float = 0
    bullet: bool = False  # False on a paragraph's continuation on the next face
    bottom: bool = False  # the `BOTTOM` marker


def indent(para: Para) -> float:
    """Where a paragraph's lines start: past its bullet, the same for every line."""
    if para.bullet is None:
        return 0
    return _width(para.bullet, False, para.size) + 0.5 * para.size


def break_lines(text: str, width: float, size: float, bold: bool) -> list[str]:
    """`text` broken greedily into lines no wider than `width`; a longer word is cut.

    Lines break at ordinary spaces and tabs only: a no-break space (`ties.tie`) holds.
    """
    space = _width(" ", bold, size)
    lines: list[str] = []
    for hard_line in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in hard_line.replace("\t", " ").split(" "):
            if not word:
                continue
            word_width = _width(word, bold, size)
            if line and used + space + word_width <= width + _FUZZ:
                line.append(word)
                used += space + word_width
                continue
            if line:
                lines.append(" ".join(line))
            while word_width > width + _FUZZ and len(word) > 1:  # wider than a line: cut it
                cut = len(word) - 1
                while cut > 1 and _width(word[:cut], bold, size) > width + _FUZZ:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                word_width = _width(word, bold, size)
            line, used = [word], word_width
        lines.append(" ".join(line))
    return lines


def set_items(items: Sequence[Item], width: float) -> list[Block]:
    """Each item set at `width`."""
    blocks: list[Block] = []
    for item in items:
        if isinstance(item, Gap):
            blocks.append(Block(None, height=item.height))
        elif isinstance(item, Para):
            lines = break_lines(item.text, width - indent(item), item.size, item.bold)
            blocks.append(Block(item, tuple(lines), len(lines) * styles.line_spacing(item.size),
                                item.space_after, item.bullet is not None))
        else:
            blocks.append(Block(None, bottom=True))
    return blocks


def fits(blocks: Sequence[Block], height: float) -> bool:
    """Whether the blocks fit one under another (the last one's space after may not)."""
    used = 0.0
    for block in blocks:
        if used + block.height > height + _FUZZ:
            return False
        used += block.height + block.space_after
    return True


def paginate(blocks: Sequence[Block], height: float) -> list[list[Block]]:
    """`blocks` over as many boxes of `height` as they need; paragraphs split between lines."""
    boxes: list[list[Block]] = []
    box: list[Block] = []
    used = 0.0
    pending = list(reversed(blocks))  # popped from the end
    while pending:
        block = pending.pop()
        if used + block.height <= height + _FUZZ:
            box.append(block)
            used += block.height + block.space_after
            continue
        para = block.para
        spacing = styles.line_spacing(para.size) if para is not None else 0
        room = int((height - used + _FUZZ) // spacing) if para is not None else 0
        if para is not None and (room > 0 or not box):
            room = max(room, 1)  # one line at least in an empty box, or this would never end
            box.append(Block(para, block.lines[:room], room * spacing, 0, block.bullet))
            rest = block.lines[room:]
            if rest:
                pending.append(Block(para, rest, len(rest) * spacing, block.space_after, False))
        elif box:
            pending.append(block)  # a gap, or no line fits here: it starts the next box
        # else: a gap taller than a whole box is of no use and is dropped
        if box:
            boxes.append(box)
        box, used = [], 0.0
    if box or not boxes:
        boxes.append(box)
    return boxes


def shrink_to_fit(
    make: Callable[[float, bool], list[Item]],
    width: float,
    height: float,
    largest: float,
    smallest: float,
    step: float = 0.5,
) -> tuple[float, list[list[Block]]]:
    """The largest type size in [smallest, largest] at which `make(size, extras)` fits.

    Extras (the discussion questions on a practice card) go first: they are dropped before the
    text gets smaller than `smallest`. Below that the text is never shrunk: it continues in a
    second box instead.
    """
    for extras in (True, False):
        size = largest
        while size >= smallest - 1e-6:
            blocks = set_items(make(size, extras), width)
            if fits(blocks, height):
                return size, [blocks]
            size -= step
    return smallest, paginate(set_items(make(smallest, False), width), height)


def draw(canvas: Canvas, blocks: Sequence[Block], x: float, top: float) -> None:
    """The blocks one under another from `top` down; a first baseline is one size below."""
    y = top
    for block in blocks:
        para = block.para
        if para is not None and block.lines:
            baseline = y - para.size
            if block.bullet and para.bullet is not None:
                canvas.setFillColor(para.colour)
                canvas.setFont(styles.font(), para.size)
                canvas.drawString(x, baseline, para.bullet)
            text = canvas.beginText(x + indent(para), baseline)
            text.setFont(styles.font(bold=para.bold), para.size, styles.line_spacing(para.size))
            text.setFillColor(para.colour)
            for line in block.lines:
                text.textLine(line)
            canvas.drawText(text)
        y -= block.height + block.space_after


def height_of(blocks: Sequence[Block]) -> float:
    """The blocks' height, the last one's space after included."""
    return sum(block.height + block.space_after for block in blocks)
