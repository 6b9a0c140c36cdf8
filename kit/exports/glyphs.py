"""The PDF text layer and the characters DejaVu lacks: what copy, search and screen readers get.

Three things, each small, that `styles.register_fonts` sets up once:

- **ToUnicode for astral characters.** reportlab (5.1 and earlier) writes a subset font's
  ToUnicode map with `"<%04X>" % code_point`, so 😀 becomes `<1F600>`, five hex digits that a
  reader takes as U+1F60 ("ὠ") plus garbage. The map must hold UTF-16BE: `<D83DDE00>`.
  `to_unicode_cmap` is reportlab's `makeToUnicodeCMap` with that fixed (and at most 100
  entries per block, as the CMap format asks); `install_fallback` puts it in reportlab's place.
- **A fallback font.** A character neither DejaVu face has (📋, many symbols) is drawn from a
  subset of Symbola (fonts/Symbola-symbols.ttf, licence beside it) instead of a placeholder.
  `markup` does it inside Paragraph markup; `split_runs` for `lines.Lines`; for drawString
  and plain table cells the main fonts themselves draw from it (`fallbackfont.WithFallback`).
- **Right-to-left text** (Arabic, Hebrew) in `lines.Lines`: a run of it is shaped with
  HarfBuzz (uharfbuzz) and drawn right to left, one glyph at a time in logical order at its
  place, and each glyph's ToUnicode entry is the text it stands for; so the page shows joined
  letters and every text extractor (pypdf in drawing order, poppler and MuPDF by position)
  reads the words as typed. See `shape_rtl`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

FALLBACK = "KitSymbols"
RTL_FONT = "KitRTL"  # DejaVu Sans again, for shaped right-to-left runs inside paragraphs
RTL_FILE = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"
FALLBACK_FILE = Path(__file__).resolve().parent / "fonts" / "Symbola-symbols.ttf"

# Code points we gave a shaped glyph (plane 15, private use: no font has them), and the text
# each stands for in the text layer.
_ACTUAL: dict[int, str] = {}
_PRIVATE: dict[tuple[str, int, str], int] = {}  # (font, glyph id, text) -> code point
_NEXT_PRIVATE = [0xF0000]


@cache
def install_fallback() -> Any:
    """Fix reportlab's ToUnicode maps (for every font, the fallback's too) and register the
    fallback font (once); the main fonts are registered after it, with it behind them."""
    from reportlab.pdfbase import pdfmetrics, ttfonts

    ttfonts.makeToUnicodeCMap = to_unicode_cmap  # looked up by name when a PDF is written
    font = ttfonts.TTFont(FALLBACK, str(FALLBACK_FILE))
    pdfmetrics.registerFont(font)
    return font


@cache
def install() -> None:
    """`install_fallback`, and the right-to-left font: registered after DejaVu Sans, so that
    reportlab makes it the same font object (one face name), fallback included."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics, ttfonts

    install_fallback()
    pdfmetrics.registerFont(ttfonts.TTFont(RTL_FONT, str(RTL_FILE)))
    for name in (FALLBACK, RTL_FONT):  # one face each: inside <b> or <i> it stays as it is
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A subset's ToUnicode CMap: each code to the UTF-16BE of the text its glyph shows."""
    entries = [f"<{code:02X}> <{_utf16(_ACTUAL.get(char) or chr(char))}>"
               for code, char in enumerate(subset)]
    blocks = []
    for start in range(0, len(entries), 100):
        chunk = entries[start:start + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{max(len(subset) - 1, 0):02X}>",
        "endcodespacerange",
        *blocks,
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


def _utf16(text: str) -> str:
    return text.encode("utf-16-be", "surrogatepass").hex().upper()


# --- the fallback font -----------------------------------------------------------------------


@cache
def fallback_covered() -> frozenset[int]:
    """Code points the fallback font can draw."""
    return frozenset(install_fallback().face.charToGlyph)


@cache
def drawable(covered: frozenset[int]) -> frozenset[int]:
    """What the main fonts (`covered`) and the fallback font can draw between them; without
    skin tones and variation selectors, which only change the emoji before them and would
    print as a swatch of their own (they are dropped: `pdfbase.Printable`)."""
    modifiers = {*range(0xFE00, 0xFE10), *range(0x1F3FB, 0x1F400)}
    return frozenset((covered | fallback_covered()) - modifiers)


def segments(text: str, covered: frozenset[int]) -> list[tuple[bool, str]]:
    """`text` cut where it changes between the main font (`covered`) and the fallback font:
    (True, part) for the fallback. A character neither has stays with the main font."""
    if covered.issuperset(map(ord, text)):
        return [(False, text)]
    extra = fallback_covered()
    out: list[tuple[bool, str]] = []
    for char in text:
        code = ord(char)
        use = code not in covered and code in extra
        if out and out[-1][0] == use:
            out[-1] = (use, out[-1][1] + char)
        else:
            out.append((use, char))
    return out


def markup(text: str, covered: frozenset[int], escape: Callable[[str], str]) -> str:
    """One line of plain text as Paragraph markup: escaped, fallback characters in the
    fallback font, right-to-left runs shaped (`shaped_markup`)."""
    out = []
    for rtl, part in rtl_pieces(text) if has_rtl(text) else [(False, text)]:
        if rtl:
            out.append(shaped_markup(part))
            continue
        out += [f'<font name="{FALLBACK}">{piece}</font>' if use else piece
                for use, piece in segments(escape(part), covered)]
    return "".join(out)


def shaped_markup(text: str) -> str:
    """A right-to-left run for a Paragraph: each word shaped into our code points in visual
    order, the words right to left with ordinary spaces between (so the text layer reads as
    typed, as in `Lines`), set in RTL_FONT, a face of its own, so that <b> around it does not
    switch to a face without these code points. The run is not shaped across a line break."""
    words = [shape_rtl(word, RTL_FONT, 1000)[0] for word in text.split(" ")]
    visual = " ".join("".join(glyph.char for glyph in word) for word in reversed(words))
    return f'<font name="{RTL_FONT}">{visual}</font>'


def split_runs(runs: Iterable[Any], covered: frozenset[int]) -> list[Any]:
    """`lines.Run`s with each stretch of fallback characters in a run of its own."""
    out = []
    for run in runs:
        parts = segments(run.text, covered)
        if len(parts) == 1 and not parts[0][0]:
            out.append(run)
            continue
        out += [type(run)(part, FALLBACK if use else run.font, run.size, run.colour)
                for use, part in parts]
    return out


# --- right to left ---------------------------------------------------------------------------

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff"
                  r"\U0001e800-\U0001efff]")
# A right-to-left stretch: from a right-to-left letter to the last one, with what may stand
# between them (spaces, marks, punctuation and digits; not a left-to-right letter).
_RTL_RUN = re.compile(
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
    r"(?:[^A-Za-z\u00c0-\u024f\u0370-\u058f\u1e00-\u1fff\n]*"
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff])?")


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def rtl_pieces(text: str) -> list[tuple[bool, str]]:
    """`text` as (is right-to-left, part) in logical order."""
    out: list[tuple[bool, str]] = []
    at = 0
    for match in _RTL_RUN.finditer(text):
        if match.start() > at:
            out.append((False, text[at:match.start()]))
        out.append((True, match.group(0)))
        at = match.end()
    if at < len(text):
        out.append((False, text[at:]))
    return out


class Glyph(NamedTuple):
    """A shaped glyph to draw: its code point in the font (ours), where, and how far."""

    char: str
    x: float  # from the run's left end, in points
    y: float
    advance: float


@cache
def _shaper() -> Any:
    try:
        import uharfbuzz
    except ImportError:  # then right-to-left text is reversed but not joined
        return None
    return uharfbuzz


def shape_rtl(text: str, font: str, size: float) -> tuple[list[Glyph], float]:
    """A right-to-left run as glyphs in visual order (left to right on the page, as pypdf,
    poppler and MuPDF expect to read right-to-left text back), with their places, and its
    width. Digits and other left-to-right numbers keep their own order."""
    from reportlab.pdfbase import pdfmetrics

    ttf = pdfmetrics.getFont(font)
    scale = size / 1000  # advances are in thousandths of the type size, as reportlab's
    shaped: list[tuple[int, int, str, float, float, float]] = []  # logical index, ...
    for start, part, numeric in _numbers(text):
        for glyph in _shape(ttf, font, part, numeric):
            shaped.append((start + glyph[0], *glyph[1:]))
    # Visual order: the parts right to left, a number's digits left to right.
    parts = list(_numbers(text))
    visual: list[tuple[int, int, str, float, float, float]] = []
    for start, part, numeric in reversed(parts):
        glyphs = [g for g in shaped if start <= g[0] < start + len(part)]
        glyphs.sort(key=lambda g: g[0], reverse=not numeric)
        visual += glyphs
    x = 0.0
    placed: list[tuple[int, Glyph]] = []
    for index, gid, cluster_text, advance, dx, dy in visual:
        char = chr(_private(ttf, font, gid, cluster_text, advance))
        placed.append((index, Glyph(char, (x + dx) * scale, dy * scale, advance * scale)))
        x += advance
    return [glyph for _index, glyph in placed], x * scale


def _numbers(text: str) -> list[tuple[int, str, bool]]:
    """Cut at European and Arabic-Indic digit runs (with their separators), which read
    left to right inside right-to-left text."""
    out = []
    at = 0
    for match in re.finditer(r"[0-9\u0660-\u0669\u06f0-\u06f9](?:[0-9\u0660-\u0669\u06f0-\u06f9"
                             r".,:/%]*[0-9\u0660-\u0669\u06f0-\u06f9])?%?", text):
        if match.start() > at:
            out.append((at, text[at:match.start()], False))
        out.append((match.start(), match.group(0), True))
        at = match.end()
    if at < len(text):
        out.append((at, text[at:], False))
    return out


def _shape(ttf: Any, font: str, text: str,
           numeric: bool) -> list[tuple[int, int, str, float, float, float]]:
    """(logical index, glyph id, the text it shows, advance, x offset, y offset) per glyph,
    in thousandths of the type size."""
    face = ttf.face
    hb = _shaper()
    if hb is None or numeric:
        out = []
        for n, char in enumerate(_mirror(text) if not numeric else text):
            gid = face.charToGlyph.get(ord(char), 0)
            out.append((n, gid, text[n], float(face.getCharWidth(ord(char))), 0.0, 0.0))
        return out
    font_hb = hb.Font(ttf.hbFace)
    buffer = hb.Buffer()
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.direction = "rtl"
    buffer.guess_segment_properties()
    hb.shape(font_hb, buffer, {"kern": True, "liga": True})
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    clusters = sorted({info.cluster for info in infos})
    ends = {c: (clusters[i + 1] if i + 1 < len(clusters) else len(text))
            for i, c in enumerate(clusters)}
    seen: set[int] = set()
    out = []
    for info, pos in zip(infos, positions, strict=True):
        cluster = info.cluster
        shows = text[cluster:ends[cluster]] if cluster not in seen else "\u200c"
        seen.add(cluster)
        out.append((cluster, info.codepoint, shows, float(ttf.pdfScale(pos.x_advance)),
                    float(ttf.pdfScale(pos.x_offset)), float(ttf.pdfScale(pos.y_offset))))
    return out


def _mirror(text: str) -> str:
    pairs = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<"}
    return "".join(pairs.get(c, c) for c in text)


def _private(ttf: Any, font: str, gid: int, text: str, advance: float) -> int:
    """Our code point for a glyph standing for `text` (the font learns it; the ToUnicode map
    says `text`)."""
    key = (font, gid, text)
    code = _PRIVATE.get(key)
    if code is None:
        code = _PRIVATE[key] = _NEXT_PRIVATE[0]
        _NEXT_PRIVATE[0] += 1
        _ACTUAL[code] = unicodedata.normalize("NFC", text)
        face = ttf.face
        face.charToGlyph[code] = gid
        face.glyphToChar.setdefault(gid, []).append(code)
        face.charWidths[code] = advance
    return code
