"""The app's QR screen: the code fits the window and decodes once the screen's text is drawn
as a terminal draws it (two decoders); too small a window says what size it needs."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from print_helpers import need

from kit.app import WorkshopApp
from kit.demo import create_demo
from kit.exports.digest import summary_digest
from kit.report import build_report
from kit.screens.qr import QrScreen
from kit.store import Store

CELL = (8, 16)  # a terminal cell, twice as tall as wide


def draw(lines: list[str], path: Path) -> Image.Image:
    """Block characters as a terminal draws them: the text colour dark on a light screen."""
    width, height = CELL
    image = Image.new("L", (len(max(lines, key=len)) * width + 40, len(lines) * height + 40),
                      255)
    pen = ImageDraw.Draw(image)
    for y, line in enumerate(lines):
        for x, char in enumerate(line):
            left, top = 20 + x * width, 20 + y * height
            if char in "▀█":
                pen.rectangle([left, top, left + width - 1, top + height // 2 - 1], fill=0)
            if char in "▄█":
                pen.rectangle([left, top + height // 2, left + width - 1, top + height - 1],
                              fill=0)
    image.save(path)
    return image


async def screen_at(data_dir: Path, size: tuple[int, int]) -> tuple[QrScreen, list[str], str]:
    with Store(data_dir) as store:
        session = create_demo(store)
    app = WorkshopApp(data_dir=data_dir, session_id=session, today=lambda: dt.date(2027, 3, 12))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = QrScreen()
        await app.push_screen(screen)
        await pilot.pause()
        code = screen.query_one("#qr-code")
        lines = code.render().plain.splitlines()  # type: ignore[attr-defined]
        caption = screen.query_one("#qr-caption").render().plain  # type: ignore[attr-defined]
        if screen.shown:
            assert code.region.right <= size[0] and code.region.bottom <= size[1]
            assert code.region.bottom <= screen.query_one("#qr-caption").region.y
            assert len(lines) <= code.region.height and max(map(len, lines)) <= size[0]
        return screen, lines, caption


def decode_both(image: Image.Image, path: Path) -> tuple[str, str]:
    zbar = subprocess.run([need("zbarimg"), "-q", "--raw", str(path)], capture_output=True,
                          text=True, timeout=60).stdout.removesuffix("\n")
    found = zxingcpp.read_barcodes(image)
    return zbar, found[0].text if found else ""


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_code_fits_and_decodes(data_dir: Path, tmp_path: Path,
                                         size: tuple[int, int]) -> None:
    screen, lines, caption = await screen_at(data_dir, size)
    assert screen.shown and "Esimerkkilän kyläyhdistys ry" in screen.shown
    image = draw(lines, tmp_path / "screen.png")
    assert decode_both(image, tmp_path / "screen.png") == (screen.shown, screen.shown)
    with Store(data_dir) as store:
        full = summary_digest(build_report(store.snapshot(store.sessions()[0].id)), "fi")
    if screen.shown != full:  # shortened for the window: the caption says what size it needs
        assert "Lyhennetty tiivistelmä" in caption and "×" in caption


async def test_a_big_window_shows_the_printed_digest(data_dir: Path, tmp_path: Path) -> None:
    screen, lines, caption = await screen_at(data_dir, (140, 45))
    with Store(data_dir) as store:
        full = summary_digest(build_report(store.snapshot(store.sessions()[0].id)), "fi")
    assert screen.shown == full and "Lyhennetty" not in caption
    image = draw(lines, tmp_path / "screen.png")
    assert decode_both(image, tmp_path / "screen.png") == (full, full)


async def test_too_small_a_window_says_what_it_needs(data_dir: Path) -> None:
    screen, lines, _ = await screen_at(data_dir, (40, 16))
    assert not screen.shown
    text = " ".join(lines)
    assert "liian pieni" in text and "37×21" in text and "40×16" in text
