"""The pre-meeting kit's own papers: the participants' agenda and the facilitator's script.

Both are worked out from the same `Plan`: the areas in the session's order (or the deck's, before
a session exists), the minutes per area, the start time and a break in the middle. The agenda is
one page for the participants (large type: it goes on the wall or round the table); the script
is one page per area for the facilitator: what to say, what to ask, when each phase ends and
which keys to press in the app.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kit.deck import Area, Deck
from kit.errors import KitError
from kit.exports import styles
from kit.exports.digest import format_date
from kit.exports.pdfbase import Printable, PrintResult, Target, target_for_reportlab
from kit.exports.ties import tie
from kit.i18n import t

OPENING = 10  # minutes: welcome, the groups, how the evening goes
BREAK = 15  # minutes, in the middle when there are three areas or more
CLOSING = 20  # minutes: the results, the action items, thanks
# An area's minutes split into its phases (the rest goes to the last one, the round-up).
PHASES = (("intro", 0.10), ("discuss", 0.45), ("rate", 0.20), ("dots", 0.10), ("wrap", 0.0))
TEXT = 14.0  # the agenda's type: read round the table
SCRIPT = 12.0  # the script's type
MARGIN = 16 * mm


@dataclass(frozen=True)
class Setup:
    """What the kit is made from: a session's set-up, or the values given before one exists."""

    deck: Deck
    lang: str
    area_ids: tuple[str, ...]
    minutes: int
    dots: int
    start: str = "18:00"
    association: str = ""
    title: str = ""
    date: str = ""
    place: str = ""
    facilitator: str = ""

    def areas(self) -> list[Area]:
        return [self.deck.area(area_id) for area_id in self.area_ids]


@dataclass(frozen=True)
class Slot:
    """One line of the agenda: from, to, what (an area, or a key of the fixed parts)."""

    start: _dt.datetime
    end: _dt.datetime
    key: str
    area: Area | None = None


def parse_start(value: str) -> str:
    """`--start HH:MM`, checked."""
    try:
        _dt.datetime.strptime(value, "%H:%M")
    except ValueError:
        raise KitError("print.kit.bad_start", value=value[:20]) from None
    return value


def schedule(setup: Setup) -> list[Slot]:
    """The evening: opening, the areas (a break after the middle one), results and close."""
    clock = _dt.datetime.combine(_dt.date(2000, 1, 1),
                                 _dt.datetime.strptime(setup.start, "%H:%M").time())
    slots: list[Slot] = []

    def add(minutes: int, key: str, area: Area | None = None) -> None:
        nonlocal clock
        end = clock + _dt.timedelta(minutes=minutes)
        slots.append(Slot(clock, end, key, area))
        clock = end

    add(OPENING, "opening")
    areas = setup.areas()
    middle = (len(areas) + 1) // 2 if len(areas) >= 3 else None
    for number, area in enumerate(areas, start=1):
        add(setup.minutes, "area", area)
        if number == middle:
            add(BREAK, "break")
    add(CLOSING, "closing")
    return slots


def phases(minutes: int) -> list[tuple[str, int]]:
    """An area's minutes as its phases, whole minutes that add up; empty phases left out."""
    out: list[tuple[str, int]] = []
    used = 0
    for key, share in PHASES[:-1]:
        length = max(1, round(minutes * share)) if key == "intro" else round(minutes * share)
        length = min(length, minutes - used)
        out.append((key, length))
        used += length
    out.append((PHASES[-1][0], minutes - used))
    return [(key, length) for key, length in out if length > 0]


def hhmm(moment: _dt.datetime, lang: str) -> str:
    """A time of day as people write it: "18.30" in Finnish, "18:30" in English."""
    return t("print.kit.time", lang, h=moment.hour, m=f"{moment.minute:02d}")


@dataclass
class _Build:
    setup: Setup
    printable: Printable = field(default_factory=Printable)

    @property
    def lang(self) -> str:
        return self.setup.lang

    def p(self, text: str, size: float, *, bold: bool = False,
          colour: styles.Color = styles.INK, space_after: float = 0,
          bullet: str | None = None) -> Paragraph:
        style = styles.style(size, bold=bold, colour=colour, space_after=space_after,
                             indent=size * 1.2 if bullet else 0)
        return Paragraph(self.printable.markup(tie(text)), style,
                         bulletText=self.printable.plain(bullet) if bullet else None)

    def heading(self, size: float) -> list[Flowable]:
        setup, lang = self.setup, self.lang
        title = setup.title or setup.deck.short_title(lang)
        out: list[Flowable] = []
        if setup.association:
            out.append(self.p(setup.association, size * 1.5, bold=True, space_after=1 * mm))
        out.append(self.p(title, size * (1.2 if setup.association else 1.5), bold=True,
                          space_after=1.5 * mm))
        facts = [format_date(setup.date, lang)] if setup.date else []
        facts += [part for part in (setup.place,) if part]
        if setup.facilitator:
            facts.append(t("print.summary.facilitator", lang, name=setup.facilitator))
        if facts:
            out.append(self.p(" · ".join(facts), size, colour=styles.MUTED,
                              space_after=4 * mm))
        return out

    def table(self, rows: list[list[object]], widths: list[float]) -> Table:
        return Table(rows, colWidths=widths, style=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), styles.font()),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, styles.RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 1.6 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6 * mm),
        ]))

    # the agenda ------------------------------------------------------------------------------

    def agenda(self, width: float) -> list[Flowable]:
        lang = self.lang
        out = [*self.heading(TEXT), self.p(t("print.kit.agenda", lang), TEXT * 1.3, bold=True,
                                            space_after=2 * mm)]
        rows: list[list[object]] = []
        for slot in schedule(self.setup):
            when = f"{hhmm(slot.start, lang)}–{hhmm(slot.end, lang)}"
            if slot.area is not None:
                what: list[Flowable] = [
                    self.p(f"{slot.area.symbol} {slot.area.title(lang)}", TEXT, bold=True),
                    self.p(t("print.kit.area_line", lang, n=len(slot.area.practices)), TEXT,
                           colour=styles.MUTED)]
            else:
                what = [self.p(t(f"print.kit.slot.{slot.key}", lang), TEXT, bold=True)]
            rows.append([self.p(when, TEXT), what])
        out.append(self.table(rows, [38 * mm, width - 38 * mm]))
        out += [Spacer(1, 6 * mm), self.p(t("print.kit.how", lang), TEXT * 1.1, bold=True,
                                          space_after=1.5 * mm)]
        out += [self.p(t(f"print.kit.how.{n}", lang, dots=self.setup.dots), TEXT,
                       bullet=f"{n}.", space_after=1 * mm) for n in range(1, 5)]
        return out

    # the script ------------------------------------------------------------------------------

    def script(self, slot: Slot, width: float) -> list[Flowable]:
        lang, area = self.lang, slot.area
        assert area is not None
        size = SCRIPT
        out: list[Flowable] = [
            self.p(t("print.kit.script_title", lang), size, colour=styles.MUTED),
            self.p(f"{area.symbol} {area.title(lang)}", size * 1.8, bold=True,
                   space_after=1 * mm),
            self.p(t("print.kit.script_when", lang, start=hhmm(slot.start, lang),
                     end=hhmm(slot.end, lang), minutes=self.setup.minutes,
                     first=area.practices[0].card_id, last=area.practices[-1].card_id),
                   size, space_after=3 * mm),
            self.p(t("print.kit.say", lang), size * 1.15, bold=True, space_after=1 * mm),
            self.p(area.intro(lang), size, space_after=3 * mm),
            self.p(t("print.kit.ask", lang), size * 1.15, bold=True, space_after=1 * mm),
            *(self.p(q(lang), size, bullet="•", space_after=0.8 * mm) for q in area.questions),
            Spacer(1, 3 * mm),
            self.p(t("print.kit.timing", lang), size * 1.15, bold=True, space_after=1 * mm),
        ]
        rows: list[list[object]] = []
        clock = slot.start
        for key, minutes in phases(self.setup.minutes):
            end = clock + _dt.timedelta(minutes=minutes)
            rows.append([self.p(f"{hhmm(clock, lang)}–{hhmm(end, lang)}", size),
                         self.p(t(f"print.kit.phase.{key}", lang, dots=self.setup.dots),
                                size)])
            clock = end
        out += [self.table(rows, [32 * mm, width - 32 * mm]), Spacer(1, 3 * mm),
                self.p(t("print.kit.keys", lang), size * 1.15, bold=True, space_after=1 * mm)]
        levels = ", ".join(f"{n} = {level.symbol} {level.label(lang)}"
                           for n, level in enumerate(self.setup.deck.scale, start=1))
        keys = [("↑ ↓", t("print.kit.key.choose", lang)),
                (f"1–{len(self.setup.deck.scale)}", t("print.kit.key.rate", lang,
                                                       levels=levels)),
                ("7 1", t("print.kit.key.hands", lang)),
                ("⇥", t("print.kit.key.group", lang)),
                ("+ −", t("print.kit.key.dots", lang)),
                ("c", t("print.kit.key.comment", lang)),
                ("b / k", t("print.kit.key.ballot", lang)),
                ("p", t("print.kit.key.present", lang)),
                (t("print.kit.key.space_name", lang), t("print.kit.key.timer", lang)),
                ("ctrl+z", t("print.kit.key.undo", lang)),
                ("→ / s", t("print.kit.key.next", lang))]
        out.append(self.table([[self.p(key, size, bold=True), self.p(what, size)]
                               for key, what in keys], [28 * mm, width - 28 * mm]))
        return out


def _doc(target: Target, paper: str, title: str, invariant: bool) -> BaseDocTemplate:
    if paper not in styles.PAPERS:
        raise KitError("print.bad_paper", value=paper, known=", ".join(styles.PAPERS))
    width, height = styles.PAPERS[paper]
    doc = BaseDocTemplate(target_for_reportlab(target), pagesize=(width, height),
                          leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, invariant=int(invariant),
                          initialFontName=styles.FONT, title=title, author="tyopaja")
    frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, id="page")
    doc.addPageTemplates([PageTemplate("page", [frame])])
    return doc


def build_agenda(setup: Setup, target: Target, *, paper: str = "a4",
                 invariant: bool = False) -> PrintResult:
    """The participants' agenda: one page, the evening's times and how it works."""
    styles.register_fonts()
    build = _Build(setup)
    doc = _doc(target, paper, build.printable.plain(t("print.kit.agenda", setup.lang)),
               invariant)
    width, height = doc.width, doc.height
    doc.build([KeepInFrame(width, height, build.agenda(width), mode="shrink")])
    return PrintResult(doc.page, build.printable.missing)


def build_script(setup: Setup, target: Target, *, paper: str = "a4",
                 invariant: bool = False) -> PrintResult:
    """The facilitator's script: one page per area, in the order of the evening."""
    styles.register_fonts()
    build = _Build(setup)
    doc = _doc(target, paper, build.printable.plain(t("print.kit.script_title", setup.lang)),
               invariant)
    width, height = doc.width, doc.height
    story: list[Flowable] = []
    for slot in schedule(setup):
        if slot.area is not None:
            # One page each, whatever the deck's texts: shrunk a little rather than split.
            story += [KeepInFrame(width, height, build.script(slot, width), mode="shrink"),
                      PageBreak()]
    story.pop()
    doc.build(story)
    return PrintResult(doc.page, build.printable.missing)
