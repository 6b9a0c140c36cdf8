"""Voting posters: the paper twin of the app's area screen, one A4 landscape page per area.

Rows are the area's practices in deck order and the columns the rating scale in the scale's
order, exactly as the app lists them, so the facilitator types the counts straight in. The
rows share the page's height evenly (big boxes take more tally marks and stickers); an area
with more practices than a page holds continues on the next page with the header repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kit.deck import Area, Deck, Practice
from kit.exports import styles
from kit.exports.pdfbase import Printable, PrintResult, Target, target_for_reportlab
from kit.i18n import t

_PAD = styles.POSTER_PADDING
_ID_WIDTH = styles.POSTER_ID_WIDTH
_LEVEL_WIDTH = styles.POSTER_LEVEL_WIDTH
_DOTS_WIDTH = styles.POSTER_DOTS_WIDTH


@dataclass
class _Build:
    deck: Deck
    lang: str
    printable: Printable = field(default_factory=Printable)

    @property
    def width(self) -> float:
        return float(styles.POSTER_PAGE[0] - 2 * styles.POSTER_MARGIN)

    @property
    def height(self) -> float:
        return float(styles.POSTER_PAGE[1] - 2 * styles.POSTER_MARGIN - styles.POSTER_FOOTER)

    def p(self, text: str, size: float, *, bold: bool = False,
          colour: styles.Color = styles.INK, centred: bool = False) -> Paragraph:
        return Paragraph(self.printable.markup(text), styles.style(
            size, bold=bold, colour=colour, centred=centred))

    def area(self, area: Area, number: int) -> list[Flowable]:
        lang = self.lang
        colour = styles.area_colour(area.colour)
        ink = styles.on_colour(colour)
        band = Table(
            [[self.p(f"{area.symbol}  {area.title(lang)}", styles.POSTER_TITLE, bold=True,
                     colour=ink),
              self.p(t("print.posters.area_of", lang, n=number, of=len(self.deck.areas)),
                     styles.POSTER_TEXT_MAX, colour=ink)]],
            colWidths=[self.width - 45 * mm, 45 * mm],
            style=TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), styles.font()),
                ("BACKGROUND", (0, 0), (-1, -1), colour),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
            ]))
        instructions = [
            self.p(t("print.posters.how_rate", lang), styles.POSTER_INSTRUCTIONS),
            self.p(t("print.posters.how_dots", lang, dots=self.deck.dots),
                   styles.POSTER_INSTRUCTIONS),
        ]
        head: list[Flowable] = [band, Spacer(1, 2.5 * mm), *instructions, Spacer(1, 2.5 * mm)]
        used = sum(f.wrap(self.width, self.height)[1] for f in head)
        return [*head, self.table(area, self.height - used - 2), PageBreak()]

    def table(self, area: Area, room: float) -> Table:
        """The practices as rows; the type shrinks (not below the minimum) to fit one page."""
        levels = self.deck.scale
        text_width = self.width - _ID_WIDTH - len(levels) * _LEVEL_WIDTH - _DOTS_WIDTH
        size = styles.POSTER_TEXT_MAX
        while True:
            header_row = self.header_row(area, size)
            rows = [self.row(practice, size) for practice in area.practices]
            header_height = _height(header_row, self.col_widths(text_width)) + 2 * _PAD
            text_heights = [_height(row, self.col_widths(text_width)) + 2 * _PAD
                            for row in rows]
            box = _even_height(text_heights, room - header_height)
            heights = [max(box, h) for h in text_heights]
            fits = header_height + sum(heights) <= room
            text_decides = any(h > box for h in text_heights)  # else smaller type cannot help
            if fits or not text_decides or size <= styles.POSTER_TEXT_MIN:
                break
            size -= 0.5

        colour = styles.area_colour(area.colour)
        table_style = [
            ("FONTNAME", (0, 0), (-1, -1), styles.font()),  # else Helvetica, even for ""
            ("GRID", (0, 0), (-1, -1), 0.8, styles.BOX),
            ("BACKGROUND", (0, 0), (-1, 0), styles.tint(colour, 0.18)),
            ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
            ("VALIGN", (0, 1), (1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
            ("TOPPADDING", (0, 0), (-1, -1), _PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD),
        ]
        return Table([header_row, *rows], colWidths=self.col_widths(text_width),
                     rowHeights=[header_height, *heights], repeatRows=1,
                     style=TableStyle(table_style))

    def col_widths(self, text_width: float) -> list[float]:
        return [_ID_WIDTH, text_width, *([_LEVEL_WIDTH] * len(self.deck.scale)), _DOTS_WIDTH]

    def header_row(self, area: Area, size: float) -> list[Flowable]:
        lang = self.lang
        row: list[Flowable] = [
            self.p(area.code, size, bold=True, centred=True),
            self.p(t("print.posters.practice", lang, area=area.title(lang)), size, bold=True),
        ]
        row += [_Stack([self.p(level.symbol, size * 1.4, bold=True, centred=True),
                        self.p(level.label(lang), _label_size(level.label(lang), size * 0.85,
                                                              _LEVEL_WIDTH), centred=True)])
                for level in self.deck.scale]
        dots = t("print.posters.dots", lang, dots=self.deck.dots)
        row.append(_Stack([self.p("●", size * 1.4, bold=True, centred=True),
                           self.p(dots, _label_size(dots, size * 0.85, _DOTS_WIDTH),
                                  centred=True)]))
        return row

    def row(self, practice: Practice, size: float) -> list[Flowable | str]:
        lang = self.lang
        text: list[Flowable] = [self.p(practice.text(lang), size)]
        if practice.points:  # one run of text: a row per point would make the row too tall
            points = "  ".join(f"• {point(lang)}" for point in practice.points)
            text.append(self.p(points, size * 0.85, colour=styles.MUTED))
        return [self.p(practice.card_id, size * 0.85, bold=True, centred=True),
                _Stack(text) if len(text) > 1 else text[0],
                *([""] * len(self.deck.scale)), ""]


class _Stack(Flowable):
    """Flowables one above the other inside a table cell."""

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__()
        self.parts = parts
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._sizes = [part.wrap(available_width, available_height) for part in self.parts]
        self.width = available_width
        self.height = sum(h for _, h in self._sizes)
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for part, (_, height) in zip(self.parts, self._sizes, strict=True):
            y -= height
            part.drawOn(self.canv, 0, y)


def _label_size(label: str, size: float, column: float) -> float:
    """`size`, or smaller so that the label's longest word fits its column unbroken."""
    room = column - 2 * _PAD - 1
    widest = max((styles.text_width(word, 1) for word in label.split()), default=0)
    return min(size, room / widest) if widest else size


def _even_height(text_heights: list[float], room: float) -> float:
    """The one row height that, with taller rows keeping theirs, fills `room` (or the minimum)."""
    taller: list[float] = []
    rest = sorted(text_heights, reverse=True)
    while rest:
        box = (room - sum(taller)) / len(rest)
        if rest[0] <= box:
            return max(styles.POSTER_BOX_MIN_HEIGHT, box)
        taller.append(rest.pop(0))
    return styles.POSTER_BOX_MIN_HEIGHT


def _height(row: list[Flowable | str], widths: list[float]) -> float:
    """The tallest cell of a row, as laid out in its column (padding not included)."""
    tallest = 0.0
    for cell, width in zip(row, widths, strict=True):
        if isinstance(cell, Flowable):
            tallest = max(tallest, cell.wrap(width - 2 * _PAD, 10_000)[1])
    return tallest


def build_posters(deck: Deck, target: Target, *, lang: str = "fi",
                  invariant: bool = False) -> PrintResult:
    """Write one voting poster per area (A4 landscape) to `target`, a path or binary stream."""
    styles.register_fonts()
    build = _Build(deck, lang)
    page_width, page_height = styles.POSTER_PAGE
    margin = styles.POSTER_MARGIN
    footer_text = build.printable.plain(
        f"{deck.short_title(lang)} · {t('print.posters.title', lang)}")

    def footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(styles.font(), styles.POSTER_FOOTER_TEXT)
        canvas.setFillColor(styles.MUTED)
        canvas.drawString(margin, margin * 0.6, footer_text)
        canvas.restoreState()

    doc = BaseDocTemplate(
        target_for_reportlab(target), pagesize=styles.POSTER_PAGE, leftMargin=margin,
        rightMargin=margin, topMargin=margin, bottomMargin=margin, invariant=int(invariant),
        initialFontName=styles.FONT, title=footer_text, author="tyopaja",
    )
    frame = Frame(margin, margin + styles.POSTER_FOOTER, page_width - 2 * margin,
                  page_height - 2 * margin - styles.POSTER_FOOTER, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, id="poster")
    doc.addPageTemplates([PageTemplate("poster", [frame], onPage=footer)])
    story: list[Flowable] = []
    for number, area in enumerate(deck.areas, start=1):
        story += build.area(area, number)
    story.pop()  # no empty page after the last poster
    doc.build(story)
    return PrintResult(doc.page, build.printable.missing)
