"""The regional view as a PDF: one row per practice, counts and a bar readable in grey.

The bar splits the associations that rated the practice into "mostly works well" (solid
black), "divided" (light grey) and "mostly needs development" (white, hatched, outlined), and
the counts stand beside it, so it reads on a black-and-white printer and without the bar.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from kit.exports import styles
from kit.exports.pdfbase import Printable, PrintResult, Target, escape, simple_pdf
from kit.exports.region_text import figures, headings, title
from kit.i18n import t
from kit.region import Region
from kit.report import MIN_ANSWERS

TEXT = 12.0
ROW = 10.5
HEADING = 16.0
MARGIN = 12 * mm
BAR = 30 * mm
PAGE = landscape(A4)
LIGHT = colors.HexColor("#BBBBBB")


def _style(size: float, bold: bool = False, right: bool = False) -> ParagraphStyle:
    return ParagraphStyle("region", fontName=styles.FONT_BOLD if bold else styles.FONT,
                          fontSize=size, leading=size * 1.2, textColor=styles.INK,
                          alignment=TA_RIGHT if right else TA_LEFT)


def bar(well: int, divided: int, develop: int, width: float = BAR,
        height: float = 9) -> Drawing:
    """Solid black, light grey, hatched white: the associations' three answers in parts."""
    drawing = Drawing(width, height)
    total = well + divided + develop
    if not total:
        return drawing
    x = 0.0
    for count, fill in ((well, styles.INK), (divided, LIGHT), (develop, None)):
        part = width * count / total
        if part <= 0:
            continue
        drawing.add(Rect(x, 0, part, height, fillColor=fill or colors.white,
                         strokeColor=styles.INK, strokeWidth=0.6))
        if fill is None:  # hatched: tells "needs development" apart from white paper
            start = x - height
            while start < x + part:
                low, high = max(0.0, x - start), min(height, x + part - start)
                if low < high:
                    drawing.add(Line(start + low, low, start + high, high,
                                     strokeColor=styles.INK, strokeWidth=0.5))
                start += 2.5
        x += part
    return drawing


def _legend(region: Region, lang: str) -> Table:
    """The bar's three parts, each drawn as in the bars, with its words."""
    well, develop = region.well_level, region.develop_level
    cells: list[object] = []
    widths: list[float] = []
    for parts, words in (((1, 0, 0), t("region.well", lang, level=well.label(lang).lower())),
                         ((0, 1, 0), t("region.divided", lang)),
                         ((0, 0, 1), t("region.develop", lang,
                                       level=develop.label(lang).lower()))):
        cells += [bar(*parts, width=14), Paragraph(escape(words), _style(ROW))]
        widths += [18, styles.text_width(words, ROW) + 16]
    table = Table([cells], colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
    return table


def flowables(region: Region, lang: str, width: float, printable: Printable) -> list[Flowable]:
    out: list[Flowable] = [
        Paragraph(escape(title(region, lang)), _style(HEADING, bold=True)),
        Paragraph(escape(t("region.rule", lang, min=MIN_ANSWERS)), _style(ROW)),
        _legend(region, lang),
        Spacer(1, 3 * mm),
    ]
    head = headings(region, lang)
    # Each figure column as wide as its longest word or figure: headings wrap between words.
    numbers = [max([styles.text_width(word, ROW, bold=True) for word in heading.split(" ")]
                   + [styles.text_width(sample, ROW)]) + 14
               for heading, sample in zip(head[1:], ("1000 (100000)", *["1000/1000"] * 3,
                                                     "1000"), strict=True)]
    text_width = width - BAR - 8 - sum(numbers)
    header = [Paragraph(escape(h), _style(ROW, bold=True, right=n > 0))
              for n, h in enumerate(head)]
    header.insert(1, "")
    for area, rows in region.by_area():
        data: list[list[object]] = [
            [Paragraph(printable.markup(f"{area.symbol} {area.title(lang)}"),
                       _style(TEXT, bold=True)), "", "", "", "", "", ""], header]
        for row in rows:
            data.append([Paragraph(printable.markup(
                f"{row.practice.card_id} {row.practice.text(lang)}"), _style(ROW)),
                bar(row.well, row.divided, row.develop), *figures(row)])
        table = Table(data, colWidths=[text_width, BAR + 8, *numbers],
                      repeatRows=2)
        table.setStyle(TableStyle([
            ("SPAN", (0, 0), (-1, 0)),
            ("FONT", (0, 0), (-1, -1), styles.FONT, ROW),
            ("TEXTCOLOR", (0, 0), (-1, -1), styles.INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (2, 2), (-1, -1), "RIGHT"),
            ("LINEBELOW", (0, 1), (-1, 1), 1.0, styles.INK),
            ("LINEBELOW", (0, 2), (-1, -1), 0.3, styles.RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]))
        out += [table, Spacer(1, 4 * mm)]
        if region.with_comments and any(row.comments for row in rows):
            out.append(Paragraph(escape(t("region.comments", lang)), _style(TEXT, bold=True)))
            for row in rows:
                for name, text in row.comments:
                    out.append(Paragraph(printable.markup(
                        f"{row.practice.card_id} – {name}: {text}"), _style(ROW)))
            out.append(Spacer(1, 4 * mm))
    return out


def build_region_pdf(region: Region, target: Target, *, lang: str,
                     invariant: bool = False) -> PrintResult:
    return simple_pdf(target, page=PAGE, margin=MARGIN, title=title(region, lang),
                      content=lambda width, printable: flowables(region, lang, width,
                                                                 printable),
                      invariant=invariant)
