"""The PDF text layer (what copy, search and screen readers get) read back with pypdf and
poppler and compared with what was typed: emoji, Arabic, Hebrew, Finnish, Cyrillic; the
fallback symbol font before any placeholder; no U+FFFD from the hostile fixtures."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from pathlib import Path

import pypdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from kit.deck import Deck
from kit.exports import glyphs, styles
from kit.exports.pdfbase import Printable
from kit.exports.summary import build_summary
from kit.report import build_report
from kit.store import Store
from tests.print_helpers import HOSTILE

FONTS = Path(glyphs.__file__).resolve().parent / "fonts"
TYPED = [
    "Hymy 😀 ja kiitos 🙏",
    "Leikepöytä 📋 ja lista ✅",
    "Ääkköset: äöå ÄÖÅ, šž",
    "Привет, мир и всё",
    "مرحبا بالعالم",
    "שלום עולם",
]


def _summary(store: Store, deck: Deck, texts: list[str], tmp_path: Path) -> tuple[bytes, int]:
    session = store.create_session(deck, association="Kylä ry")
    handle = store.session(session)
    for text in texts:
        handle.add_comment(text, "idea", practice_id="os-kuunteleminen")
    handle.add_action("Tehdään 📋 lista", "Hallitus", "31.1.2027")
    handle.add_action("مرحبا", "שלום", "Привет")
    path = tmp_path / "s.pdf"
    result = build_summary(build_report(store.snapshot(session)), path, lang="fi")
    return path.read_bytes(), result.missing


def _pypdf(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _poppler(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         text=True, timeout=60, check=True).stdout
    return re.sub("[\u202a-\u202e]", "", out)  # poppler marks right-to-left runs


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).split()


def test_astral_characters_get_utf16_pairs_in_tounicode() -> None:
    styles.register_fonts()
    cmap = glyphs.to_unicode_cmap("F", [0x41, 0x1F600, 0xE4])
    assert "<00> <0041>" in cmap and "<01> <D83DDE00>" in cmap and "<02> <00E4>" in cmap
    assert "1F600" not in cmap
    many = glyphs.to_unicode_cmap("F", list(range(0x100, 0x100 + 256)))
    assert [int(n) for n in re.findall(r"(\d+) beginbfchar", many)] == [100, 100, 56]
    # And reportlab writes it so: a page with 😀 reads back as 😀, not U+1F60.
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont(styles.FONT, 12)
    canvas.drawString(72, 700, "Hymy 😀 ok")
    canvas.save()
    assert _pypdf(buffer.getvalue()).strip() == "Hymy 😀 ok"


def test_typed_text_reads_back_as_typed(store: Store, deck: Deck, tmp_path: Path) -> None:
    data, missing = _summary(store, deck, TYPED, tmp_path)
    assert missing == 0
    for reader in (_pypdf(data), _poppler(data, tmp_path)):
        assert "\ufffd" not in reader
        lines = [_words(line) for line in reader.splitlines()]
        for typed in TYPED:
            # Each comment's words in the order typed, on its line (pypdf and poppler may
            # put the right-to-left run's neighbours on either side of it).
            want = _words(typed)
            assert any(_in_order(want, line) for line in lines), (typed, reader)
        assert any(_in_order(["Tehdään", "📋", "lista"], line) for line in lines)
        assert any(_in_order(["مرحبا"], line) for line in lines)


def _in_order(words: list[str], line: list[str]) -> bool:
    joined = " ".join(line)
    return " ".join(words) in joined


def test_right_to_left_is_shaped_and_set_right_to_left(store: Store, deck: Deck,
                                                       tmp_path: Path) -> None:
    data, _ = _summary(store, deck, ["مرحبا بالعالم"], tmp_path)
    path = tmp_path / "rtl.pdf"
    path.write_bytes(data)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                           text=True, timeout=60, check=True).stdout
    x = {word: float(left) for left, word in
         re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]+)</word>', boxes)}
    # Set right to left: "بالعالم", typed second, stands left of "مرحبا" (poppler's word
    # boxes list the letters of a right-to-left word from left to right: reversed).
    assert x["ملاعلاب"] < x["ابحرم"], x
    # Shaped: HarfBuzz gave joined forms, so the glyphs are not the letters' isolated ones.
    assert glyphs._shaper() is not None
    shaped, width = glyphs.shape_rtl("مرحبا", styles.FONT, 10)
    from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

    face = getFont(styles.FONT).face
    isolated = {face.charToGlyph[ord(c)] for c in "مرحبا"}
    assert {face.charToGlyph[ord(g.char)] for g in shaped} - isolated
    assert width != pytest.approx(stringWidth("مرحبا", styles.FONT, 10), abs=0.01)


def test_the_fallback_font_draws_what_dejavu_lacks_before_any_placeholder() -> None:
    dejavu, extra = styles.covered(), glyphs.fallback_covered()
    assert ord("📋") not in dejavu and ord("📋") in extra
    printable = Printable()
    assert printable.markup("a 📋 b") == f'a <font name="{glyphs.FALLBACK}">📋</font> b'
    assert printable.text("👍🏽 ja ❤️") == "👍 ja ❤"  # skin tone and selector dropped
    assert printable.missing == 0
    assert printable.text("\U0001F9EC") == styles.PLACEHOLDER and printable.missing == 1
    assert printable.plain("📋 \U0001F9EC") == f"📋 {styles.PLACEHOLDER}"  # drawString too
    assert printable.missing == 2
    # Shipped with its licence, and small: the symbols DejaVu lacks, no hinting.
    assert (FONTS / "Symbola-symbols.ttf").stat().st_size < 1_200_000
    assert "free for any use" in (FONTS / "Symbola-LICENSE.txt").read_text("utf-8")


def test_no_placeholder_in_the_hostile_fixtures_pdf(store: Store, deck: Deck,
                                                    tmp_path: Path) -> None:
    data, missing = _summary(store, deck, list(HOSTILE), tmp_path)
    text = _pypdf(data)
    assert missing == 0 and "\ufffd" not in text
    assert "👍" in text and "🎉" in text and "Жизнь прекрасна" in text
    assert "مرحبا بالعالم" in _poppler(data, tmp_path)


def test_right_to_left_in_a_comment_that_falls_back_to_a_paragraph(
        store: Store, deck: Deck, tmp_path: Path) -> None:
    # A word wider than the column makes `Lines` hand the comment to a reportlab Paragraph.
    data, missing = _summary(store, deck, ["مرحبا بالعالم 📋 " + "x" * 400], tmp_path)
    assert missing == 0
    for reader in (_pypdf(data), _poppler(data, tmp_path)):
        assert "مرحبا بالعالم" in reader and "📋" in reader
