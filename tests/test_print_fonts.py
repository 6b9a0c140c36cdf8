"""The embedded font ships with its licence, covers what users type, and marks what it lacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kit.exports
from kit.deck import Deck
from kit.exports import styles
from kit.exports.pdfbase import Printable

FONTS = Path(kit.exports.__file__).parent / "fonts"


def test_dejavu_and_its_licence_ship_inside_the_package() -> None:
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        assert (FONTS / name).stat().st_size > 100_000
        assert (FONTS / name).read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    licence = (FONTS / "LICENSE.txt").read_text("utf-8")
    assert "Bitstream" in licence and "Permission is hereby granted" in licence


def test_the_font_covers_finnish_swedish_estonian_cyrillic_and_the_deck(deck: Deck) -> None:
    covered = styles.covered()
    text = "ÅÄÖåäö ÕõŠšŽž Жж Її Єє Ґґ € – … “” ”„ · ● ✓ □ \ufffd"
    text += "".join(area.symbol for area in deck.areas)
    text += "".join(level.symbol for level in deck.scale)
    for _, value in deck.texts():
        text += value.fi + value("en")
    missing = sorted({c for c in text if not c.isspace() and ord(c) not in covered})
    assert missing == []
    assert ord(styles.PLACEHOLDER) in covered


def test_markup_is_escaped_for_paragraphs_and_left_alone_for_plain_strings() -> None:
    printable = Printable()
    assert printable.markup("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert printable.plain("<b>x</b> & y") == "<b>x</b> & y"
    assert printable.markup("rivi 1\nrivi 2") == "rivi 1<br/>rivi 2"
    assert printable.plain("rivi 1\nrivi 2") == "rivi 1 rivi 2"
    assert printable.missing == 0


@pytest.mark.parametrize(("text", "shown", "count"), [
    ("Hei 👋!", "Hei 👋!", 0),  # from the fallback symbol font
    ("Hei \U0001F9EC!", "Hei \ufffd!", 1),  # in neither font
    ("❤️ ok", "❤ ok", 0),  # the heart is in DejaVu; its variation selector is dropped
    ("👍🏽 jee", "👍 jee", 0),  # a skin tone would print as a swatch of its own: dropped
    ("\U0001FAF1\U0001F3FD jee", "\ufffd jee", 1),  # a skin tone belongs to its emoji
    ("\U0001FAE0\u200d\U0001FAE1", "\ufffd", 1),  # a joined sequence is one placeholder
    ("Õun Жизнь مرحبا", "Õun Жизнь مرحبا", 0),
    ("a\u3000b", "a b", 0),  # an ideographic space becomes an ordinary one
])
def test_missing_glyphs_become_a_visible_counted_placeholder(text: str, shown: str,
                                                             count: int) -> None:
    printable = Printable()
    assert printable.plain(text) == shown
    assert printable.missing == count


def test_importing_the_exports_package_and_the_cli_does_not_load_reportlab() -> None:
    code = (
        "import sys\n"
        "import kit.exports, kit.cli, kit.exports.digest, kit.exports.qr\n"
        "print('reportlab' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
