"""The comparison with an earlier workshop as a printed page (A4, black and white friendly).

`flowables` is the page's content, which the summary sheet adds after its own pages
(`tyopaja summary --compare EARLIER`); `build_compare` prints it alone (`tyopaja compare
--format pdf`). One line per practice: its card and text, then each level's counts with their
base before and after; a change big enough (`kit.compare.direction`) gets a bold arrow and a
word, so neither colour nor the arrow alone carries the meaning.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from kit.compare import Change, Comparison
from kit.deck import Level
from kit.exports import styles
from kit.exports.compare_md import counts, mark, title_of
from kit.exports.pdfbase import Printable, PrintResult, Target, escape, simple_pdf
from kit.i18n import t

TEXT = 12.0  # the handout's body: 12 pt at least
ROW = 10.5  # table lines: nothing printed under 10 pt
HEADING = 16.0
MARGIN = 14 * mm
GRID = colors.HexColor("#777777")


def _style(size: float, bold: bool = False) -> ParagraphStyle:
    return ParagraphStyle("compare", fontName=styles.FONT_BOLD if bold else styles.FONT,
                          fontSize=size, leading=size * 1.25, textColor=styles.INK)


def _cut(text: str, size: float, width: float) -> str:
    """One line of `width` points: the card id says which practice, the words remind."""
    if styles.text_width(text, size) <= width:
        return text
    while text and styles.text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _cell(change: Change, level: Level, lang: str) -> Paragraph:
    """The counts under the level's heading, and the mark in bold where there is one."""
    words = mark(change, lang)
    text = escape(f"{level.symbol} {counts(change)}")
    if words:
        text += f" <b>{escape(words)}</b>"
    return Paragraph(text, _style(ROW))


def flowables(comparison: Comparison, lang: str, width: float,
              printable: Printable | None = None) -> list[Flowable]:
    """The comparison's page(s): a title, the rule, a table per area, new and gone."""
    printable = printable or Printable()
    well, develop = comparison.well_level, comparison.develop_level
    out: list[Flowable] = [
        Paragraph(escape(t("compare.title", lang)), _style(HEADING, bold=True)),
        Paragraph(printable.markup(title_of(comparison, lang)), _style(TEXT)),
        Spacer(1, 2 * mm),
        Paragraph(escape(t("compare.rule", lang)), _style(ROW)),
        Spacer(1, 3 * mm),
    ]
    # Columns as wide as what they hold (the bold mark included), the rest for the text.
    def cell_width(change: Change) -> float:
        words = mark(change, lang)
        return styles.text_width(f"! {counts(change)} ", ROW) + (
            styles.text_width(words, ROW, bold=True) if words else 0)

    figure_width = max([cell_width(c) for r in comparison.rows for c in (r.well, r.develop)]
                       + [styles.text_width(f"! {develop.label(lang)}", ROW, bold=True) / 2,
                          styles.text_width("! 10/10 → 10/10", ROW)]) + 16
    dots_width = max(styles.text_width("100 → 100", ROW),
                     styles.text_width(f"● {t('compare.dots', lang)}", ROW, bold=True)) + 16
    text_width = width - 2 * figure_width - dots_width
    header = [Paragraph(escape(t("compare.practice", lang)), _style(ROW, bold=True)),
              Paragraph(escape(f"{well.symbol} {well.label(lang)}"), _style(ROW, bold=True)),
              Paragraph(escape(f"{develop.symbol} {develop.label(lang)}"),
                        _style(ROW, bold=True)),
              Paragraph(escape(f"● {t('compare.dots', lang)}"), _style(ROW, bold=True))]
    rows: list[list[object]] = [header]
    heads: list[int] = []
    area_id = None
    for row in comparison.rows:
        if row.area.id != area_id:
            area_id = row.area.id
            heads.append(len(rows))
            rows.append([Paragraph(printable.markup(f"{row.area.symbol} {row.area.title(lang)}"),
                                   _style(ROW, bold=True)), "", "", ""])
        text = printable.plain(f"{row.practice.card_id} {row.practice.text(lang)}")
        rows.append([_cut(text, ROW, text_width - 6), _cell(row.well, well, lang),
                     _cell(row.develop, develop, lang), f"{row.dots[0]} → {row.dots[1]}"])
    if comparison.rows:
        table = Table(rows, colWidths=[text_width, figure_width, figure_width, dots_width],
                      repeatRows=1)
        commands: list[tuple[object, ...]] = [
            ("FONT", (0, 0), (-1, -1), styles.FONT, ROW),
            ("TEXTCOLOR", (0, 0), (-1, -1), styles.INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, 0), 1.0, styles.INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, GRID),
            ("TOPPADDING", (0, 0), (-1, -1), 1.0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.0),
        ]
        for index in heads:
            commands += [("SPAN", (0, index), (-1, index)),
                         ("TOPPADDING", (0, index), (-1, index), 3)]
        table.setStyle(TableStyle(commands))
        if not comparison.marked:  # the finding first, above the table it sums up
            out += [Paragraph(escape(t("compare.no_change", lang)), _style(TEXT, bold=True)),
                    Spacer(1, 2 * mm)]
        out.append(table)
    else:
        out.append(Paragraph(escape(t("compare.none_shared", lang)), _style(TEXT)))
    for key, practices in (("compare.only_later", comparison.only_later),
                           ("compare.only_earlier", comparison.only_earlier)):
        if practices:
            out += [Spacer(1, 3 * mm), Paragraph(escape(t(key, lang)), _style(TEXT, bold=True))]
            out += [Paragraph(printable.markup(f"{p.card_id} {p.text(lang)}"), _style(ROW))
                    for p in practices]
    return out


def build_compare(comparison: Comparison, target: Target, *, lang: str,
                  invariant: bool = False) -> PrintResult:
    """The comparison alone as a PDF."""
    return simple_pdf(target, page=A4, margin=MARGIN, title=t("compare.title", lang),
                      content=lambda width, printable: flowables(comparison, lang, width,
                                                                 printable),
                      invariant=invariant)
