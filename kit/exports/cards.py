"""Discussion cards: a title card, an intro card per area and a card per practice, to cut out.

Cards sit edge to edge in a grid, so one straight cut separates two cards; the cut marks
extend each cut line into the paper margin, outside every card. Nothing important is printed
near a card's edge, so a cut a millimetre off still looks right.

Backs (for duplex printing, flipped on the long edge) follow each page of fronts. Flipping a
portrait sheet on its long edge mirrors it left to right, so a card's back is drawn at the
mirrored position (x → page width − x − card width) on the same row.

The text is set by `cardtext` straight on the canvas: nothing here imports
`reportlab.platypus`, whose import alone took longer than drawing every card.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kit.deck import Area, Deck, Practice
from kit.errors import KitError
from kit.exports import cardtext, styles
from kit.exports.cardtext import BOTTOM, Block, Gap, Item, Para
from kit.exports.pdfbase import Printable, PrintResult, Target, target_for_reportlab
from kit.exports.ties import tie
from kit.i18n import t

PER_PAGE: tuple[int, ...] = (4, 8)
_GRID = {4: (2, 2), 8: (2, 4)}  # (columns, rows) on a portrait page


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in points, origin bottom left (as the PDF has it)."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class CardLayout:
    """Where the cards go on a sheet: the grid of fronts and the mirrored grid of backs."""

    paper: str
    per_page: int
    page_width: float
    page_height: float
    columns: int
    rows: int
    card_width: float
    card_height: float

    @classmethod
    def make(cls, paper: str = "a4", per_page: int = 4) -> CardLayout:
        if paper not in styles.PAPERS:
            raise KitError("print.bad_paper", value=paper, known=", ".join(styles.PAPERS))
        if per_page not in PER_PAGE:
            raise KitError("print.bad_per_page", value=per_page)
        width, height = styles.PAPERS[paper]
        columns, rows = _GRID[per_page]
        return cls(paper, per_page, width, height, columns, rows,
                   (width - 2 * styles.CARD_MARGIN) / columns,
                   (height - 2 * styles.CARD_MARGIN) / rows)

    @property
    def left(self) -> float:
        return (self.page_width - self.columns * self.card_width) / 2

    @property
    def bottom(self) -> float:
        return (self.page_height - self.rows * self.card_height) / 2

    def front(self, slot: int) -> Box:
        """Slot 0 is top left, then along the row."""
        row, column = divmod(slot, self.columns)
        return Box(self.left + column * self.card_width,
                   self.bottom + (self.rows - 1 - row) * self.card_height,
                   self.card_width, self.card_height)

    def back(self, slot: int) -> Box:
        """Where slot's back goes so that it lands behind its front after a long-edge flip."""
        front = self.front(slot)
        return Box(self.page_width - front.x - front.width, front.y, front.width, front.height)


@dataclass(frozen=True)
class Placement:
    """A card face as drawn: for the tests (backs behind fronts, type sizes)."""

    page: int  # 0-based
    side: str  # "front" or "back"
    key: str  # "title", the area code ("OS"), or the card id ("OS-2")
    box: Box
    text_size: float | None  # the main text's size on fronts


@dataclass
class _Face:
    key: str
    area: Area | None
    band: str
    footer: str
    card_id: str
    blocks: list[Block]
    text_size: float


@dataclass
class _Build:
    deck: Deck
    lang: str
    layout: CardLayout
    printable: Printable = field(default_factory=Printable)
    _texts: dict[str, str] = field(default_factory=dict)  # shrinking re-reads texts: count once

    @property
    def sizes(self) -> styles.CardSizes:
        return styles.CARD_SIZES[self.layout.per_page]

    def text_box(self) -> tuple[float, float]:
        """The space for a card's text: inside the safe margin, between band and footer."""
        s = self.sizes
        width = self.layout.card_width - 2 * s.inset
        height = (self.layout.card_height - 2 * s.inset - s.band - s.footer - 4 * mm)
        return width, height

    def text(self, text: str) -> str:
        if text not in self._texts:
            self._texts[text] = self.printable.drawn(tie(text))  # drawn with drawString
        return self._texts[text]

    def p(self, text: str, size: float, *, bold: bool = False,
          colour: styles.Color | None = None, bullet: str | None = None,
          space_after: float = 0) -> Para:
        """A paragraph of deck or UI text, as plain text (drawn with drawString: no markup)."""
        return Para(self.text(text), size, bold, colour or styles.INK,
                    self.text(bullet) if bullet else None, space_after)

    # the faces ----------------------------------------------------------------------------

    def faces(self) -> list[_Face]:
        faces = [*self.title_faces()]
        for number, area in enumerate(self.deck.areas, start=1):
            faces += self.intro_faces(area, number)
            for practice in area.practices:
                faces += self.practice_faces(area, practice)
        return faces

    def band(self, area: Area) -> str:
        """The area's symbol and name; in a translated edition also its code ("OS"), which
        comes from the Finnish name and would otherwise say nothing to the reader."""
        band = f"{area.symbol}  {area.title(self.lang).upper()}"
        return band if self.lang == "fi" else f"{band}  ·  {area.code}"

    def fitted(self, key: str, area: Area | None, band: str, card_id: str,
               make: Callable[[float, bool], list[Item]], largest: float,
               smallest: float, words: Sequence[tuple[str, bool, float]] = ()) -> list[_Face]:
        """The card's faces at the largest size that fits (more faces only at the minimum).

        `words` are the card's main texts as (text, bold, size factor): the size is also kept
        small enough that their longest word fits a line, since a word wider than the card
        would be broken in the middle.
        """
        width, height = self.text_box()
        for text, bold, factor in words:
            for word in text.split():
                word_width = styles.text_width(word, factor, bold)
                largest = min(largest, width * 0.9 / word_width)
        largest = max(largest, smallest)
        size, boxes = cardtext.shrink_to_fit(make, width, height, largest, smallest)
        footer = self.deck.short_title(self.lang)
        faces = []
        for n, blocks in enumerate(boxes, start=1):
            shown_id = card_id
            if len(boxes) > 1:
                shown_id = t("print.cards.continued", self.lang, id=card_id, n=n, of=len(boxes))
            faces.append(_Face(key, area, band, footer, shown_id, blocks, size))
        return faces

    def title_faces(self) -> list[_Face]:
        s = self.sizes
        deck, lang = self.deck, self.lang

        def make(size: float, extras: bool) -> list[Item]:
            out: list[Item] = [self.p(deck.title(lang), size * s.title / s.text_max,
                                          bold=True, space_after=size * 0.8)]
            if deck.motto is not None:
                out.append(self.p(t("print.quote", lang, text=deck.motto(lang)), size,
                                  space_after=size * 0.8))
            if extras:
                out.append(self.p(t("print.cards.areas", lang), s.small, bold=True,
                                  colour=styles.MUTED, space_after=2))
                for area in deck.areas:
                    out.append(self.p(t("print.cards.area_line", lang, title=area.title(lang),
                                        code=area.code, n=len(area.practices)), s.small,
                                      colour=styles.MUTED, bullet=area.symbol))
            return out

        return self.fitted("title", None, t("print.cards.band_title", lang).upper(), "",
                           make, s.text_max, s.text_min,
                           [(deck.title(lang), True, s.title / s.text_max)])

    def intro_faces(self, area: Area, number: int) -> list[_Face]:
        s = self.sizes
        lang = self.lang

        def make(size: float, extras: bool) -> list[Item]:
            out: list[Item] = []
            if extras:
                first, last = area.practices[0].card_id, area.practices[-1].card_id
                out.append(self.p(t("print.cards.area_of", lang, n=number, code=area.code,
                                    of=len(self.deck.areas), first=first, last=last),
                                  s.small, colour=styles.MUTED, space_after=size * 0.4))
            out.append(self.p(area.intro(lang), size, space_after=size * 0.6))
            out.append(self.p(t("print.cards.discuss", lang), size, bold=True,
                              space_after=size * 0.2))
            out += [self.p(q(lang), size, bullet="•", space_after=size * 0.2)
                    for q in area.questions]
            return out

        return self.fitted(area.code, area, self.band(area), area.code, make,
                           s.text_max, s.intro_min,
                           [(area.intro(lang), False, 1.0),
                            *((q(lang), False, 1.0) for q in area.questions)])

    def practice_faces(self, area: Area, practice: Practice) -> list[_Face]:
        s = self.sizes
        lang = self.lang

        def make(size: float, extras: bool) -> list[Item]:
            out: list[Item] = [self.p(practice.text(lang), size, bold=True,
                                          space_after=size * 0.5)]
            out += [self.p(point(lang), size, bullet="•", space_after=size * 0.25)
                    for point in practice.points]
            if extras and self.layout.per_page == 4:
                out += [Gap(size * 0.6), BOTTOM]
                out += [self.p(q(lang), s.small, colour=styles.MUTED, bullet="–",
                               space_after=2) for q in area.questions]
            return out

        return self.fitted(practice.card_id, area, self.band(area), practice.card_id, make,
                           s.text_max, s.text_min,
                           [(practice.text(lang), True, 1.0),
                            *((point(lang), False, 1.0) for point in practice.points)])

    # drawing -------------------------------------------------------------------------------

    def draw_front(self, canvas: Canvas, face: _Face, box: Box) -> None:
        s = self.sizes
        inset = s.inset
        band_colour = (styles.area_colour(face.area.colour) if face.area
                       else styles.NEUTRAL_BAND)
        band_y = box.y + box.height - inset - s.band
        canvas.setFillColor(band_colour)
        canvas.roundRect(box.x + inset, band_y, box.width - 2 * inset, s.band, 1.5 * mm,
                         stroke=0, fill=1)
        self.band_text(canvas, face.band, box.x + inset + 2.5 * mm, band_y,
                       box.width - 2 * inset - 5 * mm, s.band, styles.on_colour(band_colour))

        _, height = self.text_box()
        top = band_y - 2 * mm
        bottom = top - height
        body = face.blocks
        anchor = next((i for i, b in enumerate(body) if b.bottom), len(body))
        tail = body[anchor + 1:]
        if tail:  # planned to fit below the body, so it cannot overlap it
            cardtext.draw(canvas, tail, box.x + inset, bottom + cardtext.height_of(tail) + 1)
        cardtext.draw(canvas, body[:anchor], box.x + inset, top)

        footer_y = box.y + inset
        canvas.setFillColor(styles.MUTED)
        canvas.setFont(styles.font(), s.footer)
        right = self.printable.plain(face.card_id)
        right_width = styles.text_width(right, s.footer, bold=True)
        left = fit_text(self.printable.plain(face.footer), s.footer,
                        box.width - 2 * inset - right_width - 4 * mm)
        canvas.drawString(box.x + inset, footer_y, left)
        canvas.setFont(styles.font(bold=True), s.footer)
        canvas.drawRightString(box.x + box.width - inset, footer_y, right)

    def band_text(self, canvas: Canvas, text: str, x: float, y: float, width: float,
                  height: float, colour: styles.Color) -> None:
        """The band's symbol and name, shrunk (never below 10 pt) to fit one line."""
        size = self.sizes.band_text
        line = self.printable.plain(text)
        while size > 10 and styles.text_width(line, size, bold=True) > width:
            size -= 0.5
        line = fit_text(line, size, width, bold=True)
        canvas.setFillColor(colour)
        canvas.setFont(styles.font(bold=True), size)
        canvas.drawString(x, y + (height - size * 0.72) / 2, line)

    def draw_back(self, canvas: Canvas, face: _Face, box: Box) -> None:
        s = self.sizes
        big = 2.6 if self.layout.per_page == 4 else 1.9
        # No frame: a duplex printer 1-2 mm out of register would show it crooked by the cut.
        colour = styles.area_colour(face.area.colour) if face.area else styles.NEUTRAL_BAND
        centre_x = box.x + box.width / 2
        centre_y = box.y + box.height / 2
        inner = box.width - 4 * s.inset
        if face.area is not None:
            symbol_size = s.title * big
            canvas.setFillColor(colour)
            canvas.setFont(styles.font(bold=True), symbol_size)
            canvas.drawCentredString(centre_x, centre_y + s.title * 0.35,
                                     self.printable.plain(face.area.symbol))
            name = face.area.title(self.lang)
        else:
            name = t("print.cards.back_title", self.lang)
        canvas.setFillColor(styles.INK)
        name_size = s.band_text * 1.15
        canvas.setFont(styles.font(bold=True), name_size)
        canvas.drawCentredString(centre_x, centre_y - name_size * 1.3,
                                 fit_text(self.printable.plain(name), name_size, inner, True))
        canvas.setFillColor(styles.MUTED)
        canvas.setFont(styles.font(), s.small)
        canvas.drawCentredString(centre_x, centre_y - name_size * 1.3 - s.small * 2.2,
                                 fit_text(self.printable.plain(self.deck.short_title(self.lang)),
                                          s.small, inner))
        if face.card_id:
            canvas.setFont(styles.font(bold=True), s.footer)
            canvas.drawCentredString(centre_x, box.y + s.inset + 2.5 * mm,
                                     self.printable.plain(face.card_id))

    def cut_marks(self, canvas: Canvas) -> None:
        """Each cut line extended into the margin on both ends; nothing inside the grid."""
        lay = self.layout
        gap, length = styles.CUT_MARK_GAP, styles.CUT_MARK_LENGTH
        top = lay.bottom + lay.rows * lay.card_height
        right = lay.left + lay.columns * lay.card_width
        canvas.setStrokeColor(styles.CUT_MARK)
        canvas.setLineWidth(styles.CUT_MARK_WIDTH)
        for column in range(lay.columns + 1):
            x = lay.left + column * lay.card_width
            canvas.line(x, top + gap, x, top + gap + length)
            canvas.line(x, lay.bottom - gap, x, lay.bottom - gap - length)
        for row in range(lay.rows + 1):
            y = lay.bottom + row * lay.card_height
            canvas.line(lay.left - gap, y, lay.left - gap - length, y)
            canvas.line(right + gap, y, right + gap + length, y)


def fit_text(text: str, size: float, width: float, bold: bool = False) -> str:
    """One line of a label within `width`: shortened with "…" only when it cannot fit."""
    if styles.text_width(text, size, bold) <= width:
        return text
    while text and styles.text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def build_cards(
    deck: Deck,
    target: Target,
    *,
    lang: str = "fi",
    per_page: int = 4,
    paper: str = "a4",
    backs: bool = True,
    invariant: bool = False,
) -> PrintResult:
    """Write the deck's discussion cards as a PDF to `target` (a path or a binary stream)."""
    styles.register_fonts()
    layout = CardLayout.make(paper, per_page)
    build = _Build(deck, lang, layout)
    faces = build.faces()
    canvas = Canvas(target_for_reportlab(target), pagesize=(layout.page_width,
                                                           layout.page_height),
                    invariant=int(invariant), initialFontName=styles.FONT, pageCompression=1)
    canvas.setTitle(build.printable.plain(f"{deck.short_title(lang)} – "
                                          f"{t('print.cards.title', lang)}"))
    canvas.setAuthor("tyopaja")
    placements: list[Placement] = []
    page = 0
    sheets = math.ceil(len(faces) / per_page)
    for sheet in range(sheets):
        chunk = faces[sheet * per_page:(sheet + 1) * per_page]
        build.cut_marks(canvas)
        for slot, face in enumerate(chunk):
            box = layout.front(slot)
            build.draw_front(canvas, face, box)
            placements.append(Placement(page, "front", face.key, box, face.text_size))
        canvas.showPage()
        page += 1
        if backs:
            for slot, face in enumerate(chunk):
                box = layout.back(slot)
                build.draw_back(canvas, face, box)
                placements.append(Placement(page, "back", face.key, box, None))
            canvas.showPage()
            page += 1
    canvas.save()
    return PrintResult(page, build.printable.missing,
                       {"layout": layout, "placements": tuple(placements),
                        "faces": len(faces)})
