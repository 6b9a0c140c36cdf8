"""Voting posters for the wall: one or more landscape sheets per area, read from across the room.

Each practice is a block: its card id and text in type readable at two metres, then a box per
rating level (in the scale's order, as the app lists them, so the facilitator types the counts
straight in) and a dot space with a ring for every sticker it must take. The dot space is sized
for real stickers (`dot_mm`) and for everyone's dots landing on the one practice
(`people` × dots per person), so a popular practice never spills into its neighbour. An area
takes as many sheets as its blocks need; each sheet names the area and says "1/2".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import landscape
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
from kit.errors import KitError
from kit.exports import styles
from kit.exports.pdfbase import Printable, PrintResult, Target, target_for_reportlab
from kit.exports.ties import tie
from kit.i18n import t

_PAD = styles.POSTER_PADDING
_GAP = 4 * mm  # between the band, the instructions and the blocks
_FUZZ = 2.0  # points of slack between planning a sheet and the frame that draws it


@dataclass(frozen=True)
class PosterOptions:
    """What sizes the posters: the paper, the stickers and how many dots may land on one row."""

    paper: str = "a4"
    dot_mm: int = 12
    people: int = styles.POSTER_PEOPLE
    dots: int | None = None  # dots per person; None: the deck's

    def check(self) -> None:
        if self.paper not in styles.POSTER_PAPERS:
            raise KitError("print.bad_paper", value=self.paper,
                           known=", ".join(styles.POSTER_PAPERS))
        if self.dot_mm not in styles.POSTER_DOT_SIZES:
            raise KitError("print.posters.bad_dot_mm", value=self.dot_mm,
                           known=", ".join(map(str, styles.POSTER_DOT_SIZES)))
        if not 1 <= self.people <= 500:
            raise KitError("print.posters.bad_people", value=self.people)


@dataclass
class _Build:
    deck: Deck
    lang: str
    options: PosterOptions
    printable: Printable = field(default_factory=Printable)

    @property
    def page(self) -> tuple[float, float]:
        return landscape(styles.POSTER_PAPERS[self.options.paper])

    @property
    def width(self) -> float:
        return float(self.page[0] - 2 * styles.POSTER_MARGIN)

    @property
    def height(self) -> float:
        return float(self.page[1] - 2 * styles.POSTER_MARGIN - styles.POSTER_FOOTER)

    @property
    def dots(self) -> int:
        return self.options.dots if self.options.dots is not None else self.deck.dots

    @property
    def capacity(self) -> int:
        """Stickers one practice's dot space takes: every person's dots on it."""
        return self.options.people * self.dots

    @property
    def level_width(self) -> float:
        count = len(self.deck.scale)
        return max(styles.POSTER_LEVEL_MIN_WIDTH,
                   min(styles.POSTER_LEVEL_WIDTH, self.width * 0.5 / count))

    @property
    def dots_width(self) -> float:
        return self.width - len(self.deck.scale) * self.level_width

    def p(self, markup: str, size: float, *, bold: bool = False,
          colour: styles.Color = styles.INK, centred: bool = False) -> Paragraph:
        return Paragraph(markup, styles.style(size, bold=bold, colour=colour, centred=centred))

    def esc(self, text: str) -> str:
        return self.printable.markup(tie(text))

    # one sheet's parts -----------------------------------------------------------------------

    def band(self, area: Area, sheet: int, sheets: int) -> Table:
        colour = styles.area_colour(area.colour)
        ink = styles.on_colour(colour)
        number_width = max(40 * mm, styles.text_width(f"{sheets}/{sheets}",
                                                      styles.POSTER_SHEET_NUMBER, True) + 12 * mm)
        title = f"{area.symbol}{styles.NBSP}{styles.NBSP}{area.title(self.lang)}"
        return Table(
            [[self.p(self.esc(title), styles.POSTER_TITLE, bold=True, colour=ink),
              self.p(self.esc(f"{sheet}/{sheets}") if sheets > 1 else "",
                     styles.POSTER_SHEET_NUMBER, bold=True, colour=ink)]],
            colWidths=[self.width - number_width, number_width],
            style=TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), styles.font()),
                ("BACKGROUND", (0, 0), (-1, -1), colour),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
            ]), spaceAfter=_GAP)

    def instructions(self) -> list[Flowable]:
        return [self.p(self.esc(t("print.posters.how_rate", self.lang)),
                       styles.POSTER_INSTRUCTIONS),
                self.p(self.esc(t("print.posters.how_dots", self.lang, dots=self.dots)),
                       styles.POSTER_INSTRUCTIONS),
                Spacer(1, _GAP)]

    def block(self, practice: Practice) -> Table:
        """A practice: its text across the top, the level boxes and the dot space below."""
        lang, scale = self.lang, self.deck.scale
        text: list[Flowable] = [self.p(
            f"<b>{self.esc(practice.card_id)}</b>{styles.NBSP}{styles.NBSP}"
            f"{self.esc(practice.text(lang))}", styles.POSTER_TEXT)]
        if practice.points:
            points = "   ".join(f"•{styles.NBSP}{self.esc(point(lang))}"
                                for point in practice.points)
            text.append(self.p(points, styles.POSTER_POINTS, colour=styles.MUTED))
        heads: list[list[Flowable]] = [
            [self.p(self.esc(level.symbol), styles.POSTER_LABELS * 1.4, bold=True,
                    centred=True),
             self.label(level.label(lang), self.level_width)]
            for level in scale]
        head_height = max(sum(f.wrap(self.level_width - 2 * _PAD, 10_000)[1] for f in cell)
                          for cell in heads) + 2 * _PAD
        # The dot space runs down beside the level headings and boxes: its label on top.
        places = _DotPlaces(self.capacity, self.options.dot_mm * mm,
                            self.dots_width - 2 * _PAD)
        dots_label = self.p(f"●{styles.NBSP}"
                            + self.esc(t("print.posters.dots", lang, dots=self.dots)),
                            styles.POSTER_LABELS, centred=True)
        dots_cell = [dots_label, Spacer(1, 1.5 * mm), places]
        dots_height = (dots_label.wrap(self.dots_width - 2 * _PAD, 10_000)[1] + 1.5 * mm
                       + places.height + 2 * _PAD)
        boxes_height = max(styles.POSTER_BOX_MIN_HEIGHT, dots_height - head_height)
        count = len(scale)
        widths = [*([self.level_width] * count), self.dots_width]
        return Table(
            [[text, *([""] * count)], [*heads, dots_cell], [*([""] * count), ""]],
            colWidths=widths, rowHeights=[None, head_height, boxes_height],
            style=TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), styles.font()),
                ("SPAN", (0, 0), (-1, 0)),
                ("SPAN", (count, 1), (count, 2)),
                ("BOX", (0, 0), (-1, -1), 1.2, styles.INK),
                ("GRID", (0, 1), (-1, -1), 0.8, styles.BOX),
                ("BACKGROUND", (0, 1), (count - 1, 1), styles.PALE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (count, 1), (count, 1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
                ("TOPPADDING", (0, 0), (-1, -1), _PAD),
                ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD),
                ("BOTTOMPADDING", (0, 0), (-1, 0), _PAD + 1 * mm),
            ]), spaceAfter=_GAP)

    def label(self, text: str, column: float) -> Paragraph:
        """A column heading whose longest word fits its column unbroken."""
        size = styles.POSTER_LABELS
        room = column - 2 * _PAD - 1
        widest = max((styles.text_width(word, 1) for word in text.split()), default=0)
        if widest:
            size = min(size, room / widest)
        return self.p(self.esc(text), size, centred=True)

    # sheets ----------------------------------------------------------------------------------

    def sheets(self, area: Area) -> list[list[Flowable]]:
        """The area's blocks packed onto sheets; the first sheet also carries the instructions."""
        blocks = [self.block(practice) for practice in area.practices]
        band_height = self.band(area, 1, 2).wrap(self.width, self.height)[1] + _GAP
        instructions = self.instructions()
        first_extra = sum(f.wrap(self.width, self.height)[1] for f in instructions)
        packed: list[list[Flowable]] = [[]]
        used = band_height + first_extra
        for practice, block in zip(area.practices, blocks, strict=True):
            height = block.wrap(self.width, self.height)[1] + _GAP
            if packed[-1] and used + height > self.height - _FUZZ:
                packed.append([])
                used = band_height
            if used + height - _GAP > self.height - _FUZZ:
                raise KitError("print.posters.too_big", id=practice.card_id,
                               dot_mm=self.options.dot_mm, people=self.options.people,
                               paper=self.options.paper)
            packed[-1].append(block)
            used += height
        count = len(packed)
        out: list[list[Flowable]] = []
        for number, part in enumerate(packed, start=1):
            head: list[Flowable] = [self.band(area, number, count)]
            if number == 1:
                head += instructions
            out.append(head + part)
        return out


class _DotPlaces(Flowable):
    """A faint ring for every sticker the dot space must take, in rows across its width."""

    def __init__(self, count: int, dot: float, width: float) -> None:
        super().__init__()
        self.count, self.dot = count, dot
        self.pitch = dot + styles.POSTER_DOT_GAP
        self.columns = max(1, int((width + styles.POSTER_DOT_GAP) // self.pitch))
        self.rows = math.ceil(count / self.columns)
        self.width = width
        self.height = self.rows * self.pitch - styles.POSTER_DOT_GAP

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(styles.DOT_PLACE)
        canvas.setLineWidth(0.6)
        canvas.setDash(2, 2)
        used = self.columns * self.pitch - styles.POSTER_DOT_GAP
        left = (self.width - used) / 2
        radius = self.dot / 2
        for index in range(self.count):
            row, column = divmod(index, self.columns)
            x = left + column * self.pitch + radius
            y = self.height - row * self.pitch - radius
            canvas.circle(x, y, radius, stroke=1, fill=0)
        canvas.restoreState()


def build_posters(deck: Deck, target: Target, *, lang: str = "fi", invariant: bool = False,
                  options: PosterOptions | None = None) -> PrintResult:
    """Write the voting posters (landscape, every area on as many sheets as it needs).

    Raises `KitError` before writing anything when a practice's block does not fit a sheet
    (big stickers for many people on small paper) or an option is out of range.
    """
    options = options or PosterOptions()
    options.check()
    styles.register_fonts()
    build = _Build(deck, lang, options)
    page_width, page_height = build.page
    margin = styles.POSTER_MARGIN
    story: list[Flowable] = []
    areas_of: list[tuple[int, int]] = []  # per sheet: (area number, areas)
    for number, area in enumerate(deck.areas, start=1):
        for sheet in build.sheets(area):
            story += [*sheet, PageBreak()]
            areas_of.append((number, len(deck.areas)))
    story.pop()  # no empty page after the last sheet
    base = build.printable.plain(f"{deck.short_title(lang)} · {t('print.posters.title', lang)}")

    def footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        number, count = areas_of[min(doc.page, len(areas_of)) - 1]
        text = f"{base} · {t('print.posters.area_of', lang, n=number, of=count)}"
        canvas.saveState()
        canvas.setFont(styles.font(), styles.POSTER_FOOTER_TEXT)
        canvas.setFillColor(styles.MUTED)
        canvas.drawString(margin, margin + 1 * mm, build.printable.plain(text))
        canvas.restoreState()

    doc = BaseDocTemplate(
        target_for_reportlab(target), pagesize=(page_width, page_height), leftMargin=margin,
        rightMargin=margin, topMargin=margin, bottomMargin=margin, invariant=int(invariant),
        initialFontName=styles.FONT, title=base, author="tyopaja",
    )
    frame = Frame(margin, margin + styles.POSTER_FOOTER, page_width - 2 * margin,
                  page_height - 2 * margin - styles.POSTER_FOOTER, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, id="poster")
    doc.addPageTemplates([PageTemplate("poster", [frame], onPage=footer)])
    doc.build(story)
    return PrintResult(doc.page, build.printable.missing, {"sheets": areas_of})
