"""The summary sheet: the participants' handout, in type older eyes read, with a QR code.

Portrait A4 or Letter. The first page is the handout: who and when, the results per area, the
strengths and priorities (from the report), the action items, then a selection of comments,
with "N more in the full report" when some are left out (`comments`: all, none, a number, or by
default as many as fit on two pages). Body type is 12 pt, 16 pt with `large`; nothing is
smaller than 10 pt. Every page is headed with the association, the title, the date and
"page N/M"; the total is known only at the end, so the pages are held by `_NumberedCanvas` and
headed when the document is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kit.errors import KitError
from kit.exports import styles
from kit.exports.bars import bar, swatch
from kit.exports.digest import format_date, summary_digest
from kit.exports.flow import Columns
from kit.exports.lines import Lines, Run
from kit.exports.pdfbase import Printable, PrintResult, Target, target_for_reportlab
from kit.exports.qrdraw import qr_drawing
from kit.exports.ties import tie
from kit.i18n import t
from kit.report import MIN_ANSWERS, PracticeResult, Report
from kit.session import TAGS, Comment
from kit.view import priority_figure, split_note, strength_figure

HANDOUT_PAGES = 2  # by default the comments printed are as many as fit on two pages



@dataclass(frozen=True)
class SummaryOptions:
    """The paper, the type size and how many comments the sheet prints."""

    paper: str = "a4"
    large: bool = False
    comments: str | int | None = None  # "all", "none", a count, or None: what fits two pages

    def check(self) -> None:
        if self.paper not in styles.PAPERS:
            raise KitError("print.bad_paper", value=self.paper, known=", ".join(styles.PAPERS))
        if (isinstance(self.comments, int) and self.comments < 0) or (
                isinstance(self.comments, str) and self.comments not in ("all", "none")):
            raise KitError("print.summary.bad_comments", value=self.comments)


def parse_comments(value: str) -> str | int:
    """`--comments all|none|N`, checked, for `SummaryOptions`."""
    if value in ("all", "none"):
        return value
    if value.isdigit():
        return int(value)
    raise KitError("print.summary.bad_comments", value=value[:40])


@dataclass(frozen=True)
class Sizes:
    """The sheet's type in points: the handout's, or larger for readers with low vision."""

    text: float
    heading: float
    title: float
    small: float

    @classmethod
    def of(cls, large: bool) -> Sizes:
        if large:
            return cls(text=styles.SUMMARY_LARGE_TEXT, heading=styles.SUMMARY_LARGE_HEADING,
                       title=styles.SUMMARY_LARGE_TITLE, small=styles.SUMMARY_LARGE_SMALL)
        return cls(text=styles.SUMMARY_TEXT, heading=styles.SUMMARY_HEADING,
                   title=styles.SUMMARY_TITLE, small=styles.SUMMARY_SMALL)


def check_link(link: str) -> str:
    """A link for the QR code: one line, no spaces (a phone would not open it otherwise).

    Its length is the QR code's business: `qr_matrix` says when it is too long.
    """
    value = link.strip()
    if not value or any(c.isspace() or not c.isprintable() for c in value):
        raise KitError("print.bad_link", value=value[:60])
    return value


def _plain_table(rows: list[list[object]], widths: list[float], *extra: tuple[object, ...],
                 repeat: int = 0, split_rows: bool = False) -> Table:
    """A table without padding or lines unless `extra` styles add them; with `split_rows`
    a row may continue on the next page (two lists side by side, say)."""
    return Table(rows, colWidths=widths, repeatRows=repeat, splitInRow=int(split_rows),
                 style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.font()),  # else Helvetica, even for no text
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        *extra,
    ]))


@dataclass
class _Build:
    report: Report
    lang: str
    qr: Drawing  # made once: the QR code's matrix is slow to compute
    qr_data: str
    link: str | None
    options: SummaryOptions
    keep: int | None = None  # comments printed; None: all of them
    printable: Printable = field(default_factory=Printable)
    _tag_labels: dict[str, str] = field(default_factory=dict)

    @property
    def page(self) -> tuple[float, float]:
        return styles.PAPERS[self.options.paper]

    @property
    def width(self) -> float:
        return float(self.page[0] - 2 * styles.SUMMARY_MARGIN)

    @cached_property
    def size(self) -> Sizes:
        return Sizes.of(self.options.large)

    def p(self, text: str, size: float | None = None, *, bold: bool = False,
          colour: styles.Color = styles.INK, space_after: float = 0, space_before: float = 0,
          keep_with_next: bool = False, centred: bool = False) -> Paragraph:
        """A paragraph of plain text (user or UI): escaped here, so never pass markup."""
        return self.para(self.printable.markup(tie(text)), size, bold=bold, colour=colour,
                         space_after=space_after, space_before=space_before,
                         keep_with_next=keep_with_next, centred=centred)

    def para(self, markup: str, size: float | None = None, *, bold: bool = False,
             colour: styles.Color = styles.INK, space_after: float = 0,
             space_before: float = 0, bullet: str | None = None,
             keep_with_next: bool = False, centred: bool = False) -> Paragraph:
        """A paragraph of markup built here from escaped parts."""
        st = self.style(size or self.size.text, bold=bold, colour=colour, space_after=space_after,
                        space_before=space_before, bullet=bullet is not None)
        st.keepWithNext = keep_with_next
        if centred:
            st.alignment = TA_CENTER
        return Paragraph(markup, st, bulletText=bullet)

    def style(self, size: float, *, bold: bool = False, colour: styles.Color = styles.INK,
              space_after: float = 0, space_before: float = 0,
              bullet: bool = False) -> ParagraphStyle:
        """The sheet's paragraph style; a bulleted paragraph hangs its text after the bullet."""
        return styles.style(size, bold=bold, colour=colour, space_after=space_after,
                            space_before=space_before, indent=size * 1.2 if bullet else 0)

    def heading(self, text: str) -> list[Flowable]:
        """A section heading, on a new page when less than a few lines would follow it.

        (keepWithNext would move a whole page-long table or column block along with it.)
        """
        return [CondPageBreak(30 * mm),
                self.p(text, self.size.heading, bold=True, space_before=3 * mm,
                       space_after=1.2 * mm)]

    def muted(self, markup: str, size: float | None = None) -> str:
        size_attr = f' size="{size}"' if size else ""
        return f'<font color="{styles.hex_colour(styles.MUTED)}"{size_attr}>{markup}</font>'

    # the parts, top to bottom ----------------------------------------------------------------

    def story(self) -> list[Flowable]:
        out = [*self.header(), *self.ratings(), *self.highlights(), *self.actions(),
               *self.comments()]
        credit = self.report.deck.credit
        if credit is not None and not self.credit_fits_footer():
            out.append(self.p(credit(self.lang), self.size.small, colour=styles.MUTED,
                              space_before=6 * mm))
        return out

    def header(self) -> list[Flowable]:
        """Who, what, when and where on the left; the QR code and its caption on the right."""
        meta, lang = self.report.meta, self.lang
        text: list[Flowable] = []
        title = meta.title or self.report.deck.short_title(lang)
        if meta.association:
            text.append(self.p(meta.association, self.size.title, bold=True,
                               space_after=1 * mm))
            text.append(self.p(title, self.size.heading, space_after=2 * mm))
        else:
            text.append(self.p(title, self.size.title, bold=True, space_after=2 * mm))
        facts = [format_date(meta.date, lang)]
        if meta.place:
            facts.append(meta.place)
        if meta.facilitator:
            facts.append(t("print.summary.facilitator", lang, name=meta.facilitator))
        text.append(self.p(" · ".join(facts), space_after=1 * mm))
        groups = t("print.summary.groups", lang, n=len(meta.groups),
                   names=", ".join(g.name for g in meta.groups))
        ballots = self.report.ballots
        if ballots:
            groups += " · " + t("print.summary.ballots", lang, n=ballots)
        text.append(self.p(groups, colour=styles.MUTED, space_after=1 * mm))
        after: list[Flowable] = []
        if self.link is not None:  # the whole width: an address should not break if it can help
            after.append(self.p(t("print.summary.link_line", lang, url=self.link),
                                colour=styles.MUTED, space_before=1.5 * mm))
        code = self.qr
        caption = self.p(t("print.summary.qr_link" if self.link else "print.summary.qr_digest",
                           lang), self.size.small, centred=True)
        side = max(code.width + 2 * mm, 46 * mm)
        table = _plain_table([[text, [code, caption]]], [self.width - side, side],
                             ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
                             ("ALIGN", (1, 0), (1, 0), "CENTER"))
        _, height = table.wrap(self.width, self.page[1])
        if height > self.page[1] * 0.4:  # an enormous association name: let the text flow
            return [*text, Spacer(1, 2 * mm), code, caption, *after]
        return [table, *after]

    def ratings(self) -> list[Flowable]:
        lang, deck = self.lang, self.report.deck
        small = self.size.small
        out: list[Flowable] = [*self.heading(t("print.summary.ratings", lang))]
        legend: list[object] = []
        for i, level in enumerate(deck.scale):
            legend += [swatch(i, small), self.p(f"{level.symbol} {level.label(lang)}", small)]
        legend_width = self.width / len(deck.scale)
        out.append(_plain_table([legend], [small * 1.6, legend_width - small * 1.6]
                                * len(deck.scale), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm)))
        # The area names whole on one line where they can be (never "Perustoimin-ta").
        widest = max((styles.text_width(f"{a.area.symbol} {a.area.title(lang)}", self.size.text,
                                        bold=True) for a in self.report.areas), default=0)
        label_width = min(max(36 * mm, widest + 4 * mm), self.width * 0.36)
        numbers_width = 64 * mm if self.options.large else 58 * mm
        bar_width = self.width - label_width - numbers_width
        rows: list[list[object]] = []
        for area in self.report.areas:
            levels = area.total.counts
            numbers = " · ".join(f"{level.short(lang)} {levels[level.id]}"
                                 for level in deck.scale)
            numbers += " · " + t("print.summary.answers", lang, n=area.total.answers)
            rows.append([self.p(f"{area.area.symbol} {area.area.title(lang)}", bold=True),
                         bar(deck.scale, levels, bar_width - 3 * mm, self.size.text * 0.8 * mm,
                             small, self.printable.plain(t("print.summary.no_ratings", lang))),
                         self.p(numbers, small)])
        out.append(_plain_table(rows, [label_width, bar_width, numbers_width],
                                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                ("RIGHTPADDING", (0, 0), (0, -1), 2 * mm),
                                ("TOPPADDING", (0, 0), (-1, -1), 1.3 * mm),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.3 * mm)))
        return out

    def highlights(self) -> list[Flowable]:
        """Strengths and priorities side by side (one under the other if too long for that)."""
        lang, report = self.lang, self.report
        deck = report.deck
        lists: list[list[Flowable]] = []
        for key, items, figure in (
                ("strengths", report.strengths, lambda r: strength_figure(r, deck, lang)),
                ("priorities", report.priorities, lambda r: priority_figure(r, lang))):
            column: list[Flowable] = [self.p(t(f"print.summary.{key}", lang),
                                             self.size.heading, bold=True,
                                             space_after=1.5 * mm, keep_with_next=True)]
            for n, result in enumerate(items, start=1):
                column.append(self.item(n, result, figure(result)))
            if not items:
                column.append(self.p(t(f"print.summary.no_{key}", lang), colour=styles.MUTED))
            lists.append(column)
        strengths, priorities = lists
        # The rule under the strengths it explains (the shorter list, as a rule).
        strengths.append(self.p(t("report.rule", lang, min=MIN_ANSWERS,
                                  level=deck.scale[0].label(lang)),
                                self.size.small, colour=styles.MUTED, space_before=1 * mm))
        gap = 6 * mm
        half = (self.width - gap) / 2
        table = _plain_table([[strengths, priorities]], [half + gap, half],
                             ("RIGHTPADDING", (0, 0), (0, 0), gap), split_rows=True)
        _, height = table.wrap(self.width, self.page[1])
        if height > self.page[1] * 0.3:  # very long practice texts: let them flow instead
            return [Spacer(1, 2 * mm), *strengths, Spacer(1, 3 * mm), *priorities]
        return [Spacer(1, 2 * mm), table]

    def item(self, n: int, result: PracticeResult, figure: str) -> Paragraph:
        practice = result.practice
        if result.split:
            figure += f" · {split_note(self.lang)}"
        markup = (f"<b>{self.printable.markup(practice.card_id)}</b> "
                  f"{self.printable.markup(practice.text(self.lang))} "
                  + self.muted(self.printable.markup(tie(f"– {figure}"))))
        return self.para(markup, bullet=f"{n}.", space_after=0.8 * mm)

    def actions(self) -> list[Flowable]:
        lang, report = self.lang, self.report
        out: list[Flowable] = [*self.heading(t("print.summary.actions", lang))]
        if not report.actions:
            out.append(self.p(t("print.summary.no_actions", lang), colour=styles.MUTED))
            return out
        rows: list[list[object]] = [[self.p(t(f"print.summary.{key}", lang), bold=True)
                                     for key in ("what", "who", "due")]]
        for action in report.actions:
            what = self.printable.markup(action.what)
            if action.practice_id:
                card = report.deck.practice(action.practice_id).card_id
                what += " " + self.muted(f"({self.printable.markup(card)})")
            rows.append([self.para(what), self.p(action.who), self.p(action.due)])
        # Who and by when: each word whole on its line where it can be ("Puheenjohtaja").
        def widest(values: list[str]) -> float:
            return max((styles.text_width(word, self.size.text) for v in values
                        for word in v.split()), default=0) + 3 * mm + 1

        who = min(max(self.width * 0.23, widest([a.who for a in report.actions])),
                  self.width * 0.32)
        due = min(max(self.width * 0.22, widest([a.due for a in report.actions])),
                  self.width * 0.3)
        widths = [self.width - who - due, who, due]
        out.append(_plain_table(rows, widths,
                                ("LINEBELOW", (0, 0), (-1, 0), 0.8, styles.INK),
                                ("LINEBELOW", (0, 1), (-1, -1), 0.4, styles.RULE),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
                                ("TOPPADDING", (0, 0), (-1, -1), 1.1 * mm),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.1 * mm),
                                repeat=1))
        return out

    def comment_groups(self) -> list[tuple[str, list[Comment]]]:
        """The comments by area in the session's order, then general and removed ones; each
        group in tag order, as printed."""
        lang, report = self.lang, self.report
        groups = [(f"{area.area.symbol} {area.area.title(lang)}", list(area.comments))
                  for area in report.areas if area.comments]
        for title, rest in ((t("print.summary.general", lang), report.general_comments),
                            (t("report.removed_comments", lang), report.removed_comments)):
            if rest:
                groups.append((title, list(rest)))
        out = []
        for title, comments in groups:
            tags = [*TAGS, *sorted({c.tag for c in comments} - set(TAGS))]
            out.append((title, [c for tag in tags for c in comments if c.tag == tag]))
        return out

    def comments(self) -> list[Flowable]:
        """The comments chosen (`keep`), taken in turn from every group so that each area is
        heard; printed by group, and how many more the full report has."""
        lang, report = self.lang, self.report
        out: list[Flowable] = [*self.heading(t("print.summary.comments", lang))]
        if not report.comments:
            out.append(self.p(t("print.summary.no_comments", lang), colour=styles.MUTED))
            return out
        groups = self.comment_groups()
        chosen = {id(c) for c in _in_turn([c for _, c in groups])[:self.keep]}
        body: list[Flowable] = []
        for title, comments in groups:
            shown = [c for c in comments if id(c) in chosen]
            if shown:
                body += [self.p(title, self.size.text + 1, bold=True, space_before=1.5 * mm,
                                space_after=0.8 * mm, keep_with_next=True),
                         *(self.comment(c) for c in shown)]
        if body:
            # Two balanced columns: short comments waste half a line each in one wide column.
            out.append(Columns(body, 2, gap=6 * mm))
        left_out = len(report.comments) - len(chosen)
        if left_out:
            out.append(self.p(t("print.summary.more_comments", lang, n=left_out),
                              bold=True, space_before=2 * mm))
        return out

    def comment(self, comment: Comment) -> Flowable:
        """One comment in full: its tag first (the grouping), where it came from last.

        `Lines`, not a Paragraph: a summary may hold 10,000 comments, and `Lines` measures
        each once and lays it out as the Paragraph would.
        """
        where = []
        if comment.practice_id:
            where.append(self.card_ids[comment.practice_id])
        if comment.group_id is not None and comment.group_id in self.group_names:
            where.append(self.group_names[comment.group_id])
        size = self.size.text
        text = " " + self.printable.text(comment.text)
        runs = [Run(self.tag_label(comment.tag), styles.font(bold=True), size, styles.MUTED)]
        if where:
            runs.append(Run(text + " ", styles.font(), size, styles.INK))
            runs.append(Run(f"({self.printable.text(', '.join(where))})", styles.font(),
                            self.size.small, styles.MUTED))
        else:
            runs.append(Run(text, styles.font(), size, styles.INK))
        return Lines(runs, self.comment_style, bullet="–")

    # looked up once, not per comment --------------------------------------------------------

    @cached_property
    def comment_style(self) -> ParagraphStyle:
        return self.style(self.size.text, bullet=True, space_after=0.8 * mm)

    @cached_property
    def card_ids(self) -> dict[str, str]:
        return {p.id: p.card_id for p in self.report.deck.practices()}

    @cached_property
    def group_names(self) -> dict[int, str]:
        return {g.id: g.name for g in self.report.meta.groups}

    def tag_label(self, tag: str) -> str:
        if tag not in self._tag_labels:
            self._tag_labels[tag] = self.printable.text(t(f"print.summary.tag.{tag}",
                                                          self.lang)) + ":"
        return self._tag_labels[tag]

    # the footer ------------------------------------------------------------------------------

    @cached_property
    def footer_text(self) -> tuple[Paragraph | None, bool]:
        """The motto and the deck's credit line, or only the motto when both do not fit;
        and whether the credit is in it.

        A credit too long for the footer is printed in full at the end of the sheet instead.
        """
        deck, lang = self.report.deck, self.lang
        motto = ""
        if deck.motto is not None:
            quoted = t("print.quote", lang, text=deck.motto(lang))
            motto = f"<b>{self.printable.markup(quoted)}</b>"
        credit = self.printable.markup(deck.credit(lang)) if deck.credit is not None else ""
        for markup, with_credit in ((f"{motto} {credit}".strip(), bool(credit)),
                                    (motto, False)):
            if not markup:
                continue
            paragraph = Paragraph(markup, styles.style(styles.SUMMARY_FOOTER_TEXT,
                                                       colour=styles.MUTED))
            _, height = paragraph.wrap(self.width - 20 * mm, styles.SUMMARY_FOOTER)
            if height <= styles.SUMMARY_FOOTER - 2 * mm:
                return paragraph, with_credit
        return None, False

    def credit_fits_footer(self) -> bool:
        return self.report.deck.credit is None or self.footer_text[1]

    def draw_footer(self, canvas: Canvas) -> None:
        """The motto and the credit line along the bottom margin (the number comes last)."""
        margin = styles.SUMMARY_MARGIN
        canvas.saveState()
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.5)
        top = margin + styles.SUMMARY_FOOTER - 1.5 * mm
        canvas.line(margin, top, margin + self.width, top)
        footer = self.footer_text[0]
        if footer is not None:  # wrapped once, in footer_text: the same on every page
            footer.drawOn(canvas, margin, top - 1.2 * mm - footer.height)
        canvas.restoreState()

    @cached_property
    def running_head(self) -> str:
        meta = self.report.meta
        parts = [meta.association, meta.title or self.report.deck.short_title(self.lang),
                 format_date(meta.date, self.lang)]
        return self.printable.plain(" · ".join(part for part in parts if part))

    def draw_head(self, canvas: Canvas, page: int, total: int) -> None:
        """Association, title and date, and "page 1/2", along the top of every page."""
        margin = styles.SUMMARY_MARGIN
        size = styles.SUMMARY_FOOTER_TEXT
        number = self.printable.plain(t("print.page", self.lang, n=page, of=total))
        number_width = styles.text_width(number, size, bold=True)
        room = self.width - number_width - 6 * mm
        head = self.running_head
        while head and styles.text_width(head, size) > room:  # a very long name: shortened
            head = head[:-2].rstrip() + "…"
        y = self.page[1] - margin + 3 * mm
        canvas.saveState()
        canvas.setFillColor(styles.MUTED)
        canvas.setFont(styles.font(), size)
        canvas.drawString(margin, y, head)
        canvas.setFont(styles.font(bold=True), size)
        canvas.drawRightString(margin + self.width, y, number)
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(margin, y - 1.5 * mm, margin + self.width, y - 1.5 * mm)
        canvas.restoreState()


def _in_turn(groups: list[list[Comment]]) -> list[Comment]:
    """One comment from each group in turn, then the next from each, until all are taken."""
    out: list[Comment] = []
    for index in range(max((len(g) for g in groups), default=0)):
        out += [group[index] for group in groups if index < len(group)]
    return out


class _NumberedCanvas(Canvas):
    """Holds each finished page until the end, then adds "page N/M" to all of them.

    The total is known only once everything has flowed; this way the sheet is laid out once,
    where a first pass just to count the pages doubled the cost of the whole build.
    """

    def __init__(self, *args: Any, number: Callable[[Canvas, int, int], None],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._number = number
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._number(self, self._pageNumber, total)
            super().showPage()
        super().save()


def _build(report: Report, target: Target, lang: str, qr: Drawing, qr_data: str,
           link: str | None, invariant: bool, options: SummaryOptions,
           keep: int | None, comparison: Any = None) -> tuple[int, int]:
    """Lay the sheet out; (pages, characters printed as the placeholder)."""
    build = _Build(report, lang, qr, qr_data, link, options, keep)
    margin = styles.SUMMARY_MARGIN
    width, height = build.page

    def footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        build.draw_footer(canvas)

    bottom = margin + styles.SUMMARY_FOOTER
    top = margin + styles.SUMMARY_HEAD
    frame = Frame(margin, bottom, build.width, height - top - bottom, id="sheet",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    title = " – ".join(part for part in (report.meta.association, report.meta.title) if part)
    doc = BaseDocTemplate(
        target_for_reportlab(target), pagesize=(width, height), leftMargin=margin,
        rightMargin=margin, topMargin=top, bottomMargin=margin, invariant=int(invariant),
        initialFontName=styles.FONT, author="tyopaja",
        title=build.printable.plain(title or t("print.summary.title", lang)),
    )
    doc.addPageTemplates([PageTemplate("sheet", [frame], onPage=footer)])
    story = build.story()
    if comparison is not None:  # `tyopaja summary --compare EARLIER` (kit.exports.compare_pdf)
        from reportlab.platypus import PageBreak

        from kit.exports.compare_pdf import flowables

        story += [PageBreak(), *flowables(comparison, lang, build.width, build.printable)]
    doc.build(story, canvasmaker=partial(_NumberedCanvas, number=build.draw_head))
    return doc.page, build.printable.missing


def _keep(report: Report, options: SummaryOptions,
          pages: Callable[[int | None], int]) -> int | None:
    """How many comments to print: all, none, the number asked, or as many as fit two pages
    (or, when the rest of the sheet already takes more, as many as fill its last page)."""
    total = len(report.comments)
    if options.comments == "all":
        return None
    if options.comments == "none":
        return 0
    if isinstance(options.comments, int):
        return min(options.comments, total)
    room = max(HANDOUT_PAGES, pages(0))
    # No more comments can fit than lines: each takes one at least (a cheap upper bound that
    # spares laying out thousands of comments only to find they do not fit).
    size = Sizes.of(options.large).text
    bound = int(room * 2 * styles.PAPERS[options.paper][1] / styles.line_spacing(size)) + 1
    if total <= bound and pages(None) <= room:
        return None
    low, high = 0, min(total, bound)  # the largest count that still fits
    while low < high:
        middle = (low + high + 1) // 2
        if pages(middle) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def build_summary(report: Report, target: Target, *, lang: str | None = None,
                  link: str | None = None, invariant: bool = False,
                  options: SummaryOptions | None = None,
                  comparison: Any = None) -> PrintResult:
    """Write the summary sheet of `report` as a PDF to `target` (a path or binary stream).

    The QR code holds `summary_digest` unless `link` is given. Raises `KitError` for a link
    that is not one line or that is too long for a QR code, before anything is written.
    """
    import io

    options = options or SummaryOptions()
    options.check()
    styles.register_fonts()
    lang = lang or report.meta.lang
    if link is not None:
        link = check_link(link)
    data = link if link is not None else summary_digest(report, lang)
    code = qr_drawing(data)  # a too-long link fails here, before the file is touched

    def pages(keep: int | None) -> int:  # the handout alone: a comparison page comes after
        return _build(report, io.BytesIO(), lang, code, data, link, True, options, keep)[0]

    keep = _keep(report, options, pages)
    count, missing = _build(report, target, lang, code, data, link, invariant, options, keep,
                            comparison)
    shown = len(report.comments) if keep is None else keep
    return PrintResult(count, missing, {"qr": data, "comments": shown})
