"""The QR digest and matrix: short, complete enough, shared with the app, no PDF or UI code."""

from __future__ import annotations

import subprocess
import sys

import pytest
import qrcode
import zxingcpp
from PIL import Image, ImageDraw
from qrcode.exceptions import DataOverflowError

from kit.deck import Deck
from kit.demo import create_demo
from kit.errors import KitError
from kit.exports.digest import MAX_BYTES, format_date, shorten, summary_digest
from kit.exports.qr import QUIET_ZONE, qr_matrix
from kit.report import build_report
from kit.store import Store


def test_digest_of_the_demo_names_who_when_and_the_results(store: Store) -> None:
    session = create_demo(store)
    snap = store.snapshot(session)
    digest = summary_digest(build_report(snap), "fi")
    assert len(digest.encode("utf-8")) <= MAX_BYTES
    lines = digest.split("\n")
    assert lines[0] == "Esimerkkilän kyläyhdistys ry, 12.3.2027"
    report = build_report(snap)
    # A heading, then its items in words a line each (card ids and figures are on the sheet)
    headings = [line for line in lines[1:] if not line.startswith("- ")]
    assert headings == ["Vahvuudet:", "Kehittämiskohteet:", "Toimenpiteet:"]
    for heading, first in zip(headings, (report.strengths[0].practice.text("fi"),
                                         report.priorities[0].practice.text("fi"),
                                         report.actions[0].what), strict=True):
        item = lines[lines.index(heading) + 1]
        shown = item[2:].split(" (+")[0].removesuffix(" ⇄").removesuffix("…")
        assert first.startswith(shown) and first[len(shown):][:1] in ("", " ", ",", ";")
        assert len(shown) >= 15  # words enough to say what it is
    assert "(+2 muuta)" in digest  # what was left out is counted


def test_digest_speaks_english(store: Store) -> None:
    snap = store.snapshot(create_demo(store, "en"))
    digest = summary_digest(build_report(snap), "en")
    assert digest.startswith("Exampleton Village Association, 12 March 2027\n")
    assert "Strengths:" in digest and "Development priorities:" in digest
    assert "Action items:" in digest and "Vahvuudet" not in digest


def test_digest_shortens_with_ellipsis_and_says_what_was_left_out(store: Store,
                                                                   deck: Deck) -> None:
    session = create_demo(store)
    for i in range(60):
        store.session(session).add_action(
            f"Toimenpide {i} " + "hyvin pitkä kuvaus " * 25, "Жанна Õun",
            "31.12.2027")
    digest = summary_digest(build_report(store.snapshot(session)), "fi")
    assert len(digest.encode("utf-8")) <= MAX_BYTES
    assert "…" in digest
    assert "muuta)" in digest  # "(+N muuta)": the rest of the action items is counted
    assert digest.startswith("Esimerkkilän kyläyhdistys ry, 12.3.2027\n")
    digest.encode("utf-8").decode("utf-8")  # never cut inside a character


def test_digest_of_an_empty_session_is_just_the_heading(store: Store, deck: Deck) -> None:
    session = store.create_session(deck, association="Ry", date="2027-01-05")
    assert summary_digest(build_report(store.snapshot(session)), "fi") == "Ry, 5.1.2027"


def test_digest_never_exceeds_the_limit_even_with_an_enormous_name(store: Store,
                                                                   deck: Deck) -> None:
    session = store.create_session(deck, association="Ж" * 160, date="2027-01-05")
    store.session(session).add_action("😀" * 400, "x", "y")
    digest = summary_digest(build_report(store.snapshot(session)), "fi", max_bytes=120)
    assert len(digest.encode("utf-8")) <= 120
    assert digest.endswith("…") or "…" in digest


def test_shorten_and_dates() -> None:
    assert shorten("lyhyt", 10) == "lyhyt"
    assert shorten("Yhteisöllisyys; yhdessä tekeminen", 20) == "Yhteisöllisyys…"
    assert shorten("Yhteisöllisyys; yhdessä tekeminen", 24) == "Yhteisöllisyys; yhdessä…"
    assert shorten("a" * 50 + " b", 10) == "a" * 50 + "…"  # never a word cut in two
    assert format_date("2027-03-12", "fi") == "12.3.2027"
    assert format_date("2027-03-12", "en") == "12 March 2027"
    assert format_date("not a date", "fi") == "not a date"


def test_qr_matrix_has_quiet_zone_and_error_correction_m() -> None:
    matrix = qr_matrix("Hyvät käytänteet – Жизнь")
    size = len(matrix)
    assert all(len(row) == size for row in matrix)
    assert (size - 2 * QUIET_ZONE - 17) % 4 == 0  # 17 + 4·version modules, plus the border
    for i in range(QUIET_ZONE):
        assert not any(matrix[i]) and not any(matrix[-1 - i])
        assert not any(row[i] for row in matrix) and not any(row[-1 - i] for row in matrix)
    # The finder pattern's corner starts right inside the quiet zone.
    assert matrix[QUIET_ZONE][QUIET_ZONE] and matrix[QUIET_ZONE][QUIET_ZONE + 6]
    # Level M with the UTF-8 ECI marker: a reader says so, and L makes another code.
    found = zxingcpp.read_barcodes(_image(matrix), text_mode=zxingcpp.TextMode.HexECI)
    assert found and found[0].extra["ECLevel"] == "M"
    assert found[0].text.startswith(" ".join(f"{b:02X}" for b in b"]Q2\\000026"))
    assert zxingcpp.read_barcodes(_image(matrix))[0].text == "Hyvät käytänteet – Жизнь"
    assert matrix != qr_matrix("Hyvät käytänteet – Жизнь", error="L")
    # ASCII (a link) needs no marker: any reader takes it as it is.
    plain = zxingcpp.read_barcodes(_image(qr_matrix("https://example.org/x")),
                                   text_mode=zxingcpp.TextMode.HexECI)[0].text
    assert plain.startswith(" ".join(f"{b:02X}" for b in b"]Q1"))


def _image(matrix: list[list[bool]], scale: int = 6) -> Image.Image:
    image = Image.new("L", (len(matrix) * scale, len(matrix) * scale), 255)
    pen = ImageDraw.Draw(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pen.rectangle([x * scale, y * scale, x * scale + scale - 1,
                               y * scale + scale - 1], fill=0)
    return image


@pytest.mark.parametrize("size", [2400, 5000])
def test_oversized_data_is_a_kit_error(size: int) -> None:
    with pytest.raises(KitError) as caught:
        qr_matrix("x" * size)
    assert caught.value.key == "qr.too_long"
    assert isinstance(caught.value, ValueError)  # what the app's screen catches
    assert "QR" in caught.value.message("fi")


@pytest.mark.parametrize("error", [DataOverflowError(), ValueError("Invalid version (was 41)")])
def test_both_of_qrcodes_overflow_errors_become_one_kit_error(
        monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def fail(self: object, fit: bool = True) -> None:
        raise error

    monkeypatch.setattr(qrcode.QRCode, "make", fail)
    with pytest.raises(KitError) as caught:
        qr_matrix("short")
    assert caught.value.key == "qr.too_long"


def test_digest_and_qr_import_without_reportlab_or_textual() -> None:
    code = (
        "import sys\n"
        "import kit.exports, kit.exports.digest, kit.exports.qr\n"
        "from kit.exports.qr import qr_matrix\n"
        "assert qr_matrix('hei')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'textual'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
