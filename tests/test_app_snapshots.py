"""Snapshots of the screens (SVG, reviewed by eye): start, set-up, area, present, ballot and
summary at 80×24 and 120×40 in Finnish, the area screen in English, and area and summary at
160×45.

Deterministic: the demo session (fixed seed and date), a fixed clock and "today", and nothing
random on screen (session ids are never shown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from kit.app import WorkshopApp
from kit.demo import create_demo
from kit.store import Store

SIZES = [(80, 24), (120, 40)]


def app_at(data_dir: Path, step: str | None, area: str | None = None, lang: str = "fi",
           ) -> WorkshopApp:
    """The app on the demo session, at `step` (None: the start screen with the demo listed)."""
    with Store(data_dir) as store:
        session = create_demo(store, lang)
        if step is not None:
            store.session(session).record_step(step, area)
    return WorkshopApp(data_dir=data_dir, lang=lang, session_id=session if step else None,
                       clock=lambda: 5000.0, wall=lambda: 1_805_000_000.0,
                       today=lambda: dt.date(2027, 3, 12))


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def then(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_start(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_at(data_dir, None), terminal_size=size, run_before=then())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_setup(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_at(data_dir, None), terminal_size=size, run_before=then("n"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_area(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    # The second practice selected, a count typed and waiting for its level.
    app = app_at(data_dir, "area", "osallisuus")
    assert snap_compare(app, terminal_size=size, run_before=then("down", "7"))


def test_area_in_english(snap_compare: Any, data_dir: Path) -> None:
    app = app_at(data_dir, "area", "arvot", lang="en")
    assert snap_compare(app, terminal_size=(80, 24), run_before=then("tab", "tab", "tab"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_present(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    app = app_at(data_dir, "present", "osallisuus")
    assert snap_compare(app, terminal_size=size, run_before=then())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ballot(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    # A participant has rated two practices and given one dot.
    app = app_at(data_dir, "ballot", "osallisuus")
    assert snap_compare(app, terminal_size=size,
                        run_before=then("enter", "1", "3", "up", "plus"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_summary(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_at(data_dir, "summary"), terminal_size=size, run_before=then())


@pytest.mark.parametrize("step", ["area", "summary"])
def test_a_large_terminal_is_used(snap_compare: Any, data_dir: Path, step: str) -> None:
    # 160×45: wider practice texts and bars on the area screen, more of the summary at once.
    app = app_at(data_dir, step, "arvot" if step == "area" else None)
    assert snap_compare(app, terminal_size=(160, 45), run_before=then())
