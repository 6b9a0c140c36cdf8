"""The printed QR code: worth scanning in a room with no network. It decodes with two
independent readers (zbar and zxing-cpp) at 100 dpi and slightly blurred, declares UTF-8 so
both show the letters right, and its modules measure 0.8 mm or more in the PDF itself."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from measure_helpers import MM, pages
from PIL import Image, ImageFilter
from print_helpers import hostile_session, need

from kit.deck import Deck
from kit.demo import create_demo
from kit.exports.digest import summary_digest
from kit.exports.summary import SummaryOptions, build_summary
from kit.report import build_report
from kit.store import Store

LINK = "https://example.org/tyopaja/2027-03-12?ryhmä=1&x=ä"


def rasterise(pdf: Path, tmp: Path, dpi: int, blur: float) -> Path:
    prefix = tmp / f"page-{dpi}"
    subprocess.run([need("pdftoppm"), "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", "1",
                    str(pdf), str(prefix)], check=True, capture_output=True, timeout=120)
    png = next(tmp.glob(f"page-{dpi}*.png"))
    image = Image.open(png)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    out = tmp / f"read-{dpi}-{blur}.png"
    image.save(out)
    return out


def zbar(png: Path) -> str:
    """zbar in text mode: it shows UTF-8 right only when the code says UTF-8 (the ECI)."""
    done = subprocess.run([need("zbarimg"), "-q", "--raw", str(png)], capture_output=True,
                          text=True, timeout=120)
    return done.stdout.removesuffix("\n")


def zxing(png: Path) -> str:
    found = zxingcpp.read_barcodes(Image.open(png))
    return found[0].text if found else ""


def module_mm(data: bytes) -> tuple[float, float]:
    """The QR code's smallest dark rectangle and its white square, in mm, from the PDF."""
    page = next(pages(data))
    square = max((r for r in page.rects if abs(r["width"] - r["height"]) < 0.5),
                 key=lambda r: r["width"])
    inside = [r for r in page.rects if r is not square
              and square["x0"] - 0.1 <= r["x0"] and r["x1"] <= square["x1"] + 0.1
              and square["top"] - 0.1 <= r["top"] and r["bottom"] <= square["bottom"] + 0.1]
    assert len(inside) > 100  # the dark runs of the code
    smallest = min(min(r["width"], r["height"]) for r in inside)
    return smallest / MM, square["width"] / MM


def sheet(store: Store, deck: Deck, kind: str, tmp: Path) -> tuple[Path, str]:
    session = hostile_session(store, deck) if kind == "hostile" else create_demo(store)
    report = build_report(store.snapshot(session))
    pdf = tmp / "sheet.pdf"
    link = LINK if kind == "link" else None
    result = build_summary(report, pdf, link=link, options=SummaryOptions(comments="none"))
    expected = LINK if link else summary_digest(report, "fi")
    assert result.details["qr"] == expected
    return pdf, expected


@pytest.mark.parametrize("kind", ["demo", "hostile", "link"])
@pytest.mark.parametrize("blur", [0, 1.0])
def test_decodes_with_two_readers_at_100_dpi(store: Store, deck: Deck, tmp_path: Path,
                                             kind: str, blur: float) -> None:
    pdf, expected = sheet(store, deck, kind, tmp_path)
    png = rasterise(pdf, tmp_path, 100, blur)
    assert zbar(png) == expected
    assert zxing(png) == expected


@pytest.mark.parametrize("kind", ["demo", "hostile", "link"])
def test_modules_are_at_least_0_8_mm(store: Store, deck: Deck, tmp_path: Path,
                                     kind: str) -> None:
    pdf, _ = sheet(store, deck, kind, tmp_path)
    module, side = module_mm(pdf.read_bytes())
    assert module >= 0.8, module
    assert side <= 72  # and the code still fits the sheet's head


def test_the_digest_declares_utf8_with_eci(store: Store, deck: Deck, tmp_path: Path) -> None:
    pdf, expected = sheet(store, deck, "demo", tmp_path)
    png = rasterise(pdf, tmp_path, 150, 0)
    found = zxingcpp.read_barcodes(Image.open(png), text_mode=zxingcpp.TextMode.HexECI)
    marker = " ".join(f"{b:02X}" for b in b"]Q2\\000026")  # ECI 26: UTF-8
    assert found and found[0].text.startswith(marker)
    assert "ä" in expected and zbar(png) == expected  # not "Kylﾃ､yhdistys"


def test_the_digest_is_whole_words(store: Store, deck: Deck) -> None:
    session = hostile_session(store, deck)
    report = build_report(store.snapshot(session))
    digest = summary_digest(report, "fi")
    sources = " ".join([report.meta.association, *(p.text("fi") for p in deck.practices()),
                        *(a.what for a in report.actions)])
    words = set(sources.split())
    bare = {w.rstrip(",;:.") for w in words}
    items = [line[2:] for line in digest.split("\n") if line.startswith("- ")]
    assert items
    for item in items:
        for word in item.split(" (+")[0].removesuffix(" ⇄").removesuffix("…").split():
            assert word in words or word.rstrip(",;:.") in bare, (word, item)
    assert len(digest.encode("utf-8")) <= 212


def test_a_link_too_long_for_a_readable_code_is_refused(store: Store, tmp_path: Path) -> None:
    from kit.errors import KitError

    report = build_report(store.snapshot(create_demo(store)))
    with pytest.raises(KitError):
        build_summary(report, io.BytesIO(), link="https://example.org/" + "a" * 600)
