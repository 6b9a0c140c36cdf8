"""Voting slips on paper: six to an A4 page, edge to edge, with cut marks in the margin.

Each slip: the workshop's name and date, the area when the slips are for one area,
"Äänestyslipuke · Skannaa koodi puhelimella", a QR code of the slip's own address
(`http://HOST:PORT/ABCD-EFGH`, see `kit.room.slips`), a short instruction, and the code in
words, big, for a phone that has to type it.

Type and QR sizes are floors, for people who read without their glasses: no text under 12 pt,
the code at 22 pt, QR modules of at least 0.8 mm (a phone camera held at arm's length reads
them off plain office paper). Eight slips to a page leave no room for all of that at those
sizes; six do, with air to cut in. Everything on a slip but the code and its QR code is the
same on every slip, so it is laid out once.

The sizes are here rather than in `styles`: nothing else prints at them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportlab.graphics import renderPDF
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from kit.exports import styles
from kit.exports.digest import format_date
from kit.exports.pdfbase import Printable, PrintResult, Target, target_for_reportlab
from kit.exports.qr import qr_matrix
from kit.exports.qrdraw import matrix_drawing
from kit.i18n import t
from kit.room.slips import format_slip, slip_url

if TYPE_CHECKING:
    from kit.session import Snapshot

COLUMNS, ROWS = 2, 3
PER_PAGE = COLUMNS * ROWS
PAGE_WIDTH, PAGE_HEIGHT = styles.PAPERS["a4"]
MARGIN = styles.CARD_MARGIN  # paper edge to the outer cut: room for the marks and the printer
INSET = 4 * mm  # a cut a millimetre off still leaves every word on the slip

TEXT = 12.0  # every word on a slip: the floor
TITLE = 14.0  # "Äänestyslipuke"
CODE = 22.0  # the code in words
QR_MODULE_MIN = 0.8 * mm
QR_SIDE = 34 * mm  # the QR code's side, quiet zone included, where there is room for it
GAP = 2.5 * mm
SIDE_GAP = 4 * mm  # between the QR code and the words beside it
PAUSE = 1.5 * mm  # between one sentence and the next


@dataclass(frozen=True)
class SlipBox:
    """Where one slip went, in points from the page's bottom left (for the tests)."""

    page: int  # 0-based
    code: str  # as printed, ABCD-EFGH
    url: str  # what its QR code holds
    x: float
    y: float
    width: float
    height: float
    qr_x: float
    qr_y: float
    qr_side: float  # quiet zone included
    qr_module: float
    qr_modules: int  # across, quiet zone included
    code_size: float
    text_size: float  # the smallest text on the slip


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    bold: bool = False
    centred: bool = False
    space_before: float = 0.0  # between one thing said and the next

    @property
    def leading(self) -> float:
        return styles.line_spacing(self.size) + self.space_before


@dataclass
class _Layout:
    """The words every slip of a print run shares, wrapped to the slip once."""

    top: list[_Line]  # the workshop, the date, the area
    beside: list[_Line]  # right of the QR code: "Äänestyslipuke", "Skannaa...", how
    below: list[_Line]  # under it: one vote each, if the link does not open
    qr_side: float = QR_SIDE
    gap: float = GAP  # above and below the QR code: the room left over, shared out
    printable: Printable = field(default_factory=Printable)


def _height(lines: Sequence[_Line]) -> float:
    return sum(line.leading for line in lines)


def _wrap(text: str, size: float, width: float, *, bold: bool = False,
          most: int | None = None, centred: bool = False,
          space_before: float = 0.0) -> list[_Line]:
    """`text` in lines no wider than `width`; at most `most` of them, the last one shortened
    with "…" when there is more (a very long association name, say)."""
    font = styles.font(bold)
    lines = simpleSplit(text, font, size, width) or [""]
    if most is not None and len(lines) > most:
        lines = lines[:most]
        last = lines[-1]
        while last and styles.text_width(last.rstrip() + " …", size, bold) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + " …"
    return [_Line(line, size, bold, centred, space_before if n == 0 else 0.0)
            for n, line in enumerate(lines)]


def _layout(snapshot: Snapshot, area_id: str | None, lang: str, qr_modules: int,
            width: float, height: float) -> _Layout:
    printable = Printable()
    meta, deck = snapshot.meta, snapshot.deck
    name = " – ".join(part for part in (meta.association, meta.title) if part.strip())
    name = printable.plain(name or deck.short_title(lang))
    date = printable.plain(format_date(meta.date, lang))
    area_line = None
    if area_id is not None:
        area = deck.area(area_id)
        area_line = printable.plain(f"{area.symbol} {area.title(lang)}")
    qr_min = qr_modules * QR_MODULE_MIN
    once = t("print.slips.once" if area_id is not None else "print.slips.once_each", lang)
    below = _wrap(once, TEXT, width)
    below += _wrap(t("print.slips.fallback", lang), TEXT, width, space_before=PAUSE)
    below.append(_Line("", CODE, True, True))  # the code's place: every slip its own
    # A big QR code first, then the name's second line: the code is what a shaky hand and
    # an old phone's camera need.
    for side, name_lines in ((QR_SIDE, 2), (QR_SIDE, 1), (qr_min, 2), (qr_min, 1)):
        side = max(side, qr_min)
        top = _wrap(name, TEXT, width, bold=True, most=name_lines)
        top += _wrap(date, TEXT, width, most=1)
        if area_line is not None:
            top += _wrap(area_line, TEXT, width, most=1)
        beside_width = width - side - SIDE_GAP
        beside = _wrap(t("print.slips.title", lang), TITLE, beside_width, bold=True)
        beside += _wrap(t("print.slips.scan", lang), TEXT, beside_width, bold=True)
        beside += _wrap(t("print.slips.how", lang), TEXT, beside_width, space_before=PAUSE)
        row = max(side, _height(beside) + 1 * mm)
        total = _height(top) + 2 * GAP + row + _height(below)
        if total <= height:
            gap = GAP + (height - total) / 2
            return _Layout(top, beside, below, side, gap, printable)
    raise AssertionError(f"the slip's own words do not fit it in {lang}")  # a test checks


class _Sheet:
    """The slips' page geometry: a grid edge to edge, centred on A4."""

    def __init__(self) -> None:
        self.width = (PAGE_WIDTH - 2 * MARGIN) / COLUMNS
        self.height = (PAGE_HEIGHT - 2 * MARGIN) / ROWS
        self.left = (PAGE_WIDTH - COLUMNS * self.width) / 2
        self.bottom = (PAGE_HEIGHT - ROWS * self.height) / 2

    def slot(self, index: int) -> tuple[float, float]:
        """The bottom left corner of slot `index` (0 top left, then along the row)."""
        row, column = divmod(index, COLUMNS)
        return (self.left + column * self.width,
                self.bottom + (ROWS - 1 - row) * self.height)

    def cut_marks(self, canvas: Canvas) -> None:
        """Each cut line extended into the margin at both ends; nothing inside the grid."""
        gap, length = styles.CUT_MARK_GAP, styles.CUT_MARK_LENGTH
        top = self.bottom + ROWS * self.height
        right = self.left + COLUMNS * self.width
        canvas.setStrokeColor(styles.CUT_MARK)
        canvas.setLineWidth(styles.CUT_MARK_WIDTH)
        for column in range(COLUMNS + 1):
            x = self.left + column * self.width
            canvas.line(x, top + gap, x, top + gap + length)
            canvas.line(x, self.bottom - gap, x, self.bottom - gap - length)
        for row in range(ROWS + 1):
            y = self.bottom + row * self.height
            canvas.line(self.left - gap, y, self.left - gap - length, y)
            canvas.line(right + gap, y, right + gap + length, y)


def _draw_lines(canvas: Canvas, lines: Sequence[_Line], x: float, top: float,
                width: float) -> float:
    """Draw lines downwards from `top`; the y where the next line would start."""
    y = top
    for line in lines:
        y -= line.leading
        canvas.setFont(styles.font(line.bold), line.size)
        canvas.setFillColor(styles.INK)
        baseline = y + (line.leading - line.space_before - line.size) / 2 + line.size * 0.22
        if line.centred:
            canvas.drawCentredString(x + width / 2, baseline, line.text)
        else:
            canvas.drawString(x, baseline, line.text)
    return y


def _draw_slip(canvas: Canvas, layout: _Layout, code: str, url: str, x: float, y: float,
               width: float, height: float, page: int) -> SlipBox:
    inner_x, inner_width = x + INSET, width - 2 * INSET
    top = y + height - INSET
    below_top = _draw_lines(canvas, layout.top, inner_x, top, inner_width) - layout.gap
    matrix = qr_matrix(url)
    module = layout.qr_side / len(matrix)
    qr = matrix_drawing(matrix, module)
    side = len(matrix) * module
    qr_y = below_top - side
    renderPDF.draw(qr, canvas, inner_x, qr_y)
    beside_x = inner_x + side + SIDE_GAP
    _draw_lines(canvas, layout.beside, beside_x, below_top, inner_width - side - SIDE_GAP)
    row = max(side, _height(layout.beside) + 1 * mm)
    words = [*layout.below[:-1], _Line(format_slip(code), CODE, True, True)]
    _draw_lines(canvas, words, inner_x, below_top - row - layout.gap, inner_width)
    return SlipBox(page, format_slip(code), url, x, y, width, height, inner_x, qr_y, side,
                   module, len(matrix), CODE, min(line.size for line in words + layout.top
                                                   + layout.beside))


def build_slips(snapshot: Snapshot, codes: Sequence[str], target: Target, *, host: str,
                port: int, area_id: str | None = None, lang: str | None = None,
                invariant: bool = False) -> PrintResult:
    """Write a voting slip for each of `codes` (as the store made them) as a PDF to `target`.

    `host` and `port` are the address the room will be served on at the workshop; a slip's
    QR code holds `http://HOST:PORT/ABCD-EFGH`. `details` of the result: the `SlipBox`es.
    """
    styles.register_fonts()
    lang = lang or snapshot.meta.lang
    sheet = _Sheet()
    inner_width, inner_height = sheet.width - 2 * INSET, sheet.height - 2 * INSET
    urls = [slip_url(host, port, code) for code in codes]
    # Every slip's address is as long as every other's: one QR size fits them all.
    modules = len(qr_matrix(urls[0])) if urls else 37
    layout = _layout(snapshot, area_id, lang, modules, inner_width, inner_height)
    canvas = Canvas(target_for_reportlab(target), pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
                    invariant=int(invariant), initialFontName=styles.FONT, pageCompression=1)
    title = " – ".join(part for part in (snapshot.meta.association, snapshot.meta.title)
                       if part)
    canvas.setTitle(layout.printable.plain(
        f"{title} – {t('print.slips.document', lang)}" if title
        else t("print.slips.document", lang)))
    canvas.setAuthor("tyopaja")
    boxes: list[SlipBox] = []
    pages = max(1, -(-len(codes) // PER_PAGE))
    for page in range(pages):
        sheet.cut_marks(canvas)
        for slot, index in enumerate(range(page * PER_PAGE, min(len(codes),
                                                                 (page + 1) * PER_PAGE))):
            x, y = sheet.slot(slot)
            boxes.append(_draw_slip(canvas, layout, codes[index], urls[index], x, y,
                                    sheet.width, sheet.height, page))
        canvas.showPage()
    canvas.save()
    return PrintResult(pages, layout.printable.missing, tuple(boxes))
