"""The look of everything printed: fonts, sizes, margins and colours, in one place.

The builders (`cards`, `posters`, `summary`) ask this module and never name a font, a size or
a colour themselves, so the printouts stay consistent and a change is made once.

Fonts: DejaVu Sans, regular and bold, shipped in `fonts/` with its licence and embedded in
every PDF. Helvetica (reportlab's default) has no Cyrillic and no Estonian õ, and turns them into
black boxes without a word; DejaVu has the Latin, Cyrillic, Greek, Arabic letters and the
symbols the deck uses (◆ ▲ ♥ ■ ✓). What it lacks (most emoji) is replaced by `PLACEHOLDER`
and counted (see `pdfbase.Printable`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A3, A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

if TYPE_CHECKING:  # imported in drawing(): reportlab.graphics imports reportlab.platypus,
    from reportlab.graphics.shapes import Drawing  # 60 ms that the cards never need

Color = colors.Color

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}

# Printed where the font has no glyph: the Unicode replacement character, which DejaVu has,
# so the reader sees that something was there.
PLACEHOLDER = "\ufffd"

PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}
POSTER_PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "a3": A3, "letter": LETTER}
POSTER_PAGE = landscape(A4)

# Characters that keep their neighbours on the same line: between a number and its unit, a
# symbol and its number. reportlab breaks lines only at ordinary spaces, so these hold.
NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
WORD_JOINER = "\u2060"

# --- colours ---------------------------------------------------------------------------------

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9A9A9A")
PALE = colors.HexColor("#F2F2F2")
BOX = colors.HexColor("#6E6E6E")
WHITE = colors.white
CUT_MARK = colors.black
QR_DARK = colors.black
NEUTRAL_BAND = colors.HexColor("#3C3C3C")  # the title card's band: no area, no area colour

# Rating levels in the order of the scale (Okabe–Ito, readable for colour-blind people);
# the bars print each level's symbol and number too, so colour is never the only signal.
LEVEL_COLOURS = ("#009E73", "#F0E442", "#D55E00", "#BBBBBB", "#56B4E9", "#CC79A7", "#E69F00")

# --- sizes (points) and distances ------------------------------------------------------------

CARD_MARGIN = 10 * mm  # paper edge to the outer trim: room for the cut marks and the printer
CUT_MARK_GAP = 2 * mm  # cut marks start this far outside the trim...
CUT_MARK_LENGTH = 3 * mm  # ...and are this long, ending 5 mm from the paper edge (office lasers)
CUT_MARK_WIDTH = 0.4


class CardSizes:
    """Type and spacing of one card layout; `text_min` is the floor for practice texts."""

    def __init__(self, *, text_max: float, text_min: float, intro_min: float, band: float,
                 band_text: float, footer: float, small: float, inset: float,
                 title: float) -> None:
        self.text_max = text_max
        self.text_min = text_min
        self.intro_min = intro_min  # an area's intro is longer than a practice: it may shrink more
        self.band = band
        self.band_text = band_text
        self.footer = footer  # the footer line and the card id: the only type under 10 pt
        self.small = small
        self.inset = inset
        self.title = title


CARD_SIZES: dict[int, CardSizes] = {
    4: CardSizes(text_max=20, text_min=16, intro_min=13, band=11 * mm, band_text=13,
                 footer=8, small=10, inset=5 * mm, title=24),
    8: CardSizes(text_max=14, text_min=11, intro_min=10, band=7.5 * mm, band_text=10,
                 footer=8, small=10, inset=3.5 * mm, title=16),
}

POSTER_MARGIN = 10 * mm
POSTER_TITLE = 44.0  # the area's name: read from across the room
POSTER_SHEET_NUMBER = 30.0  # "1/2" in the band
POSTER_TEXT = 30.0  # a practice: readable at 2 m
POSTER_POINTS = 22.0  # a practice's talking points, read up close
POSTER_LABELS = 16.0  # the level and dot column headings, read up close
POSTER_INSTRUCTIONS = 15.0
POSTER_FOOTER = 8 * mm
POSTER_FOOTER_TEXT = 12.0
POSTER_PADDING = 2.5 * mm  # inside each table cell
POSTER_LEVEL_WIDTH = 30 * mm  # a box per rating level: one tally mark per person
POSTER_LEVEL_MIN_WIDTH = 20 * mm
POSTER_BOX_MIN_HEIGHT = 28 * mm  # the rating boxes take 20 people's tally marks
POSTER_DOT_GAP = 1.5 * mm  # between two stickers' places
POSTER_DOT_SIZES = (8, 12, 19)  # the round sticker sizes sold in Finland, in millimetres
POSTER_PEOPLE = 20
DOT_PLACE = colors.HexColor("#B4B4B4")  # the faint ring that marks a sticker's place

SUMMARY_MARGIN = 13 * mm
SUMMARY_FOOTER = 16 * mm  # room at the bottom of every page for the motto and credit line
SUMMARY_HEAD = 8 * mm  # room at the top of every page for its heading and "page 1/2"
QR_MODULE_MIN = 0.8 * mm  # smaller modules do not read reliably off paper with a phone
QR_SIZE = 65 * mm  # the code's side, quiet zone included: a digest (version 10) at 1 mm a module
QR_SIDE_MAX = 72 * mm  # a link longer than a code this big at the minimum module is refused


# --- fonts -----------------------------------------------------------------------------------


@cache
def register_fonts() -> None:
    """Register DejaVu Sans with reportlab once, as a family so <b> in a paragraph is bold."""
    from reportlab.lib.fonts import addMapping

    from kit.exports import glyphs
    from kit.exports.fallbackfont import WithFallback

    fallback = glyphs.install_fallback()  # the text layer's ToUnicode fix, the symbol font
    for name, file in _FILES.items():  # what DejaVu lacks is drawn from the fallback font
        pdfmetrics.registerFont(WithFallback(name, str(FONT_DIR / file), fallback))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)  # no italic shipped: emphasis stays upright
    addMapping(FONT, 1, 1, FONT_BOLD)
    glyphs.install()  # the right-to-left font: after DejaVu, whose face it shares


@cache
def covered() -> frozenset[int]:
    """Code points both shipped fonts can draw (user text may be set in either)."""
    register_fonts()
    sets = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in _FILES]
    return frozenset(set.intersection(*sets))


def drawing(width: float, height: float) -> Drawing:
    """A reportlab.graphics drawing whose initial font is ours (reportlab's is Helvetica,
    which would enter the PDF's font list even when no text uses it)."""
    from reportlab.graphics.shapes import Drawing

    register_fonts()
    canvas = Drawing(width, height)
    canvas.initialFontName = FONT
    return canvas


def line_spacing(size: float) -> float:
    """The distance between lines of text set at `size`, on cards and in paragraphs alike."""
    return round(size * 1.22, 2)


def text_width(text: str, size: float, bold: bool = False) -> float:
    return float(pdfmetrics.stringWidth(text, FONT_BOLD if bold else FONT, size))


def font(bold: bool = False) -> str:
    register_fonts()
    return FONT_BOLD if bold else FONT


# --- colours for areas and levels ------------------------------------------------------------


# Every fill that carries text is made safe for a black-and-white office laser: its text keeps a
# contrast of at least MIN_CONTRAST both in colour and once the page is printed in grey. A
# printer (and `pdftoppm -gray`) turns a colour into the grey of its luma, 0.299 R + 0.587 G +
# 0.114 B, which for green or orange is far from its WCAG luminance: #009E73 is fine under
# black text on screen (6.2:1) and 3.9:1 in grey. So the colour is darkened or lightened, as
# little as it takes, until one ink passes both ways.
MIN_CONTRAST = 4.5
_SAFE_MARGIN = 0.3  # aim a little above the floor: toner and paper are never ideal


def _linear(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: colors.Color) -> float:
    """WCAG relative luminance of `colour`."""
    return (0.2126 * _linear(colour.red) + 0.7152 * _linear(colour.green)
            + 0.0722 * _linear(colour.blue))


def grey(colour: colors.Color) -> colors.Color:
    """`colour` as a black-and-white printer prints it: the grey of its luma."""
    value = 0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue
    return colors.Color(value, value, value)


def contrast(one: colors.Color, other: colors.Color) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def print_contrast(text: colors.Color, fill: colors.Color) -> float:
    """The worse of the contrast on screen and on a black-and-white print."""
    return min(contrast(text, fill), contrast(grey(text), grey(fill)))


def _mix(colour: colors.Color, towards: float, amount: float) -> colors.Color:
    return colors.Color(*(c + (towards - c) * amount
                          for c in (colour.red, colour.green, colour.blue)))


@cache
def _safe(hex_value: str) -> colors.Color:
    colour = colors.HexColor(hex_value)
    goal = MIN_CONTRAST + _SAFE_MARGIN
    for step in range(0, 101):
        amount = step / 100
        for candidate, ink in ((_mix(colour, 0.0, amount), WHITE),
                               (_mix(colour, 1.0, amount), INK)):
            if print_contrast(ink, candidate) >= goal:
                return candidate
    return colour  # not reached: black under white text passes


def safe_fill(colour: colors.Color) -> colors.Color:
    """`colour`, darkened or lightened just enough that `on_colour` text reads in grey too."""
    return _safe(hex_colour(colour))


def area_colour(hex_colour: str) -> colors.Color:
    """An area's colour as printed under its band text (see `safe_fill`)."""
    return _safe(hex_colour.upper())


def level_colour(index: int) -> colors.Color:
    return _safe(LEVEL_COLOURS[index % len(LEVEL_COLOURS)])


def hex_colour(colour: colors.Color) -> str:
    """"#RRGGBB", for <font color> inside paragraph markup."""
    return "#" + colour.hexval()[2:].upper()


def on_colour(colour: colors.Color) -> colors.Color:
    """Black or white text, whichever reads better on `colour` in colour and in grey."""
    return max((INK, WHITE), key=lambda ink: print_contrast(ink, colour))


# Patterns that tell the rating levels apart where the hue is lost (a grey print) and a
# segment is too narrow for its label: none, lines one way, the other way, crossed.
LEVEL_PATTERNS = ("", "/", "\\", "x", "-", "|", "+")


def level_pattern(index: int) -> str:
    return LEVEL_PATTERNS[index % len(LEVEL_PATTERNS)]


def tint(colour: colors.Color, amount: float) -> colors.Color:
    """`colour` mixed with white: `amount` 0 is white, 1 the colour itself."""
    return colors.Color(1 - (1 - colour.red) * amount, 1 - (1 - colour.green) * amount,
                        1 - (1 - colour.blue) * amount)


# --- paragraph styles ------------------------------------------------------------------------


def style(size: float, *, bold: bool = False, leading: float | None = None,
          colour: colors.Color = INK, centred: bool = False, space_after: float = 0,
          space_before: float = 0, indent: float = 0, name: str = "kit") -> ParagraphStyle:
    """A paragraph style in the shipped font; every paragraph of the kit comes from here."""
    register_fonts()
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=leading if leading is not None else line_spacing(size),
        textColor=colour,
        alignment=TA_CENTER if centred else TA_LEFT,
        spaceAfter=space_after,
        spaceBefore=space_before,
        leftIndent=indent,
        bulletFontName=FONT,
        bulletFontSize=size,
        bulletIndent=0,
        splitLongWords=True,  # a 6,000-letter "word" wraps instead of running off the page
        allowWidows=1,
        allowOrphans=1,
    )


# The summary sheet's type, in points: a handout for older eyes, nothing under 10 pt.
SUMMARY_TITLE = 20.0
SUMMARY_HEADING = 15.0
SUMMARY_TEXT = 12.0
SUMMARY_SMALL = 10.0
SUMMARY_FOOTER_TEXT = 10.0
# ...and with --large, for readers with low vision.
SUMMARY_LARGE_TITLE = 24.0
SUMMARY_LARGE_HEADING = 19.0
SUMMARY_LARGE_TEXT = 16.0
SUMMARY_LARGE_SMALL = 13.0
