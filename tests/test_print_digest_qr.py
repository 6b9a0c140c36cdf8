"""The QR digest and matrix: short, complete enough, shared with the app, no PDF or UI code."""

from __future__ import annotations

import subprocess
import sys

import pytest
import qrcode
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
    for tally in report.strengths + report.priorities:
        assert f"- {tally.practice.card_id} " in digest
    assert "Vahvuudet:" in digest and "Kehittämiskohteet:" in digest
    assert "Toimenpiteet:" in digest
    assert "(Hallitus, 31.1.2027)" in digest
    assert "(Puheenjohtaja, helmikuu 2027)" in digest
    top = report.priorities[0]
    assert f" ●{top.dots}" in digest


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
    assert "muuta" in digest  # "…ja N muuta": the rest of the action items is counted
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
    assert len(shorten("a" * 50, 10)) == 10
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
    # The same as qrcode makes with level M, and not what level L makes.
    reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    reference.add_data("Hyvät käytänteet – Жизнь")
    reference.make(fit=True)
    assert matrix == [[bool(m) for m in row] for row in reference.get_matrix()]
    low = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=4)
    low.add_data("Hyvät käytänteet – Жизнь")
    low.make(fit=True)
    assert matrix != [[bool(m) for m in row] for row in low.get_matrix()]


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
