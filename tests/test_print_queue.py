"""The export screen's Print button through a real CUPS queue (a private cupsd, cups-pdf).

The app is driven as the facilitator does it: the demo's summary, `v`, write, Print. The sheet
must come out of the print system as a PDF with the summary sheet's page and text; with the
queue refusing jobs or the scheduler gone, Print says one translated line and the app goes on.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from print_helpers import all_text, page_count
from print_queue import CupsQueue, cups_queue  # noqa: F401  (the fixture)
from textual.pilot import Pilot
from textual.widgets import Static

from kit.app import WorkshopApp
from kit.demo import create_demo
from kit.i18n import t
from kit.screens.export import ExportScreen
from kit.store import Store


def masked(text: str) -> str:
    """Every character outside printable ASCII as "?"."""
    return re.sub(r"[^\x20-\x7e\s]", "?", text)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def demo_app(data_dir: Path) -> tuple[WorkshopApp, str]:
    with Store(data_dir) as store:
        session = create_demo(store, "fi")
        store.session(session).record_step("summary")
        association = store.snapshot(session).meta.association
    app = WorkshopApp(data_dir=data_dir, lang="fi", session_id=session,
                      clock=lambda: 5000.0, wall=lambda: 1_805_000_000.0,
                      today=lambda: dt.date(2027, 3, 12))
    return app, association


async def export_and_print(app: WorkshopApp, out: Path, before_print: Any = None) -> str:
    """Summary → `v` → write into `out` → Print; returns the export screen's result line."""
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-folder").value = str(out)  # type: ignore[attr-defined]
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert any(p.name.endswith("-yhteenveto.pdf") for p in out.iterdir())
        if before_print is not None:
            before_print()
        await pilot.click("#print")
        await settle(pilot)
        line = str(app.screen.query_one("#export-result", Static).render())
        # The app goes on: still on the export screen, still answering keys.
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
    return line


async def test_print_sends_the_summary_sheet_to_the_default_printer(
        cups_queue: CupsQueue, data_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    app, association = demo_app(data_dir)
    out = tmp_path / "usb"
    # The second press of Print (ctrl+t) in export_and_print prints a second copy.
    line = await export_and_print(app, out)
    sheet = next(p for p in out.iterdir() if p.name.endswith("-yhteenveto.pdf"))
    assert line.startswith("✓ "), line
    assert t("export.printed", "fi", file=sheet.name, said="").strip() in line
    assert f"request id is {cups_queue.name}-" in line

    printed = cups_queue.wait_for_pdf(timeout=30)
    # cups-pdf followed our cups-pdf.conf (not /etc's ${HOME}/PDF).
    assert printed.is_relative_to(cups_queue.out)
    data = printed.read_bytes()
    original = sheet.read_bytes()
    pages = page_count(original)
    assert page_count(data) == pages <= 2  # the demo's handout: two pages at most
    # cups-pdf's PDF → PostScript → PDF round trip keeps every glyph but loses the text
    # mapping of non-ASCII letters (ä comes back as a control byte): compare with those masked.
    text = masked(all_text(data))
    assert masked(association) in text
    assert f"sivu 1/{pages}" in text
    # What came out of the print system is the sheet that was written, glyph for glyph.
    assert text.split() == masked(all_text(original)).split()


@pytest.mark.parametrize("how", ["rejecting", "scheduler_gone"])
async def test_print_without_a_working_queue_says_so_in_one_line(
        cups_queue: CupsQueue, data_dir: Path, tmp_path: Path, how: str) -> None:  # noqa: F811
    app, _association = demo_app(data_dir)

    def break_it() -> None:
        if how == "rejecting":
            cups_queue.admin("cupsdisable", cups_queue.name)
            cups_queue.admin("cupsreject", cups_queue.name)
        else:
            cups_queue.stop()

    line = await export_and_print(app, tmp_path / "usb", before_print=break_it)
    expected = {"rejecting": "print.not_accepting", "scheduler_gone": "print.no_scheduler"}[how]
    assert line == "✗ " + t(expected, "fi"), line
    assert "\n" not in line and "Traceback" not in line
    assert cups_queue.pdfs() == []
