"""The clock: an area's time runs on a monotonic clock; setting the wall clock (forwards for
daylight saving, backwards by a network time fix) never changes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fault_helpers import FakeClock, make_app, session_in_area, settle

from kit.deck import Deck
from kit.timer import MINUTE_MS, AreaTimer


@pytest.mark.parametrize("jump_hours", [3, -3, 24 * 365, -0.5])
def test_a_wall_clock_jump_does_not_change_a_running_timer(jump_hours: float) -> None:
    clock = FakeClock()
    timer = AreaTimer("osallisuus", 20 * MINUTE_MS, clock=lambda: clock.mono,
                      wall=lambda: clock.wall)
    timer.start()
    clock.mono += 5
    before = timer.remaining_ms
    clock.wall += jump_hours * 3600
    clock.mono += 10
    assert timer.remaining_ms == before - 10_000
    timer.pause()
    clock.wall -= jump_hours * 3600
    clock.mono += 60
    assert timer.remaining_ms == before - 10_000  # paused: neither clock matters


def test_a_wall_clock_set_back_while_closed_never_adds_time() -> None:
    """Only the time the app was closed comes off, measured on the wall clock; a clock set
    backwards meanwhile counts as no time at all, never as time given back."""
    clock = FakeClock()
    timer = AreaTimer("yhteistyo", 15 * MINUTE_MS, clock=lambda: clock.mono,
                      wall=lambda: clock.wall)
    timer.start()
    clock.mono += 60
    clock.wall += 60
    saved = timer.state()
    assert saved.remaining_ms == 14 * MINUTE_MS
    clock.wall -= 2 * 3600  # closed, and the clock was set back two hours
    clock.mono = 5.0  # a new process: the monotonic clock starts anywhere
    resumed = AreaTimer.resume(saved, clock=lambda: clock.mono, wall=lambda: clock.wall)
    assert resumed.running and resumed.remaining_ms == 14 * MINUTE_MS
    clock.mono += 30
    assert resumed.remaining_ms == 14 * MINUTE_MS - 30_000


async def test_the_apps_timer_ignores_the_wall_clock(data_dir: Path, deck: Deck) -> None:
    clock = FakeClock()
    session = session_in_area(data_dir, deck, minutes=20)
    app = make_app(data_dir, clock, session_id=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space")  # the area's timer starts
        await settle(pilot)
        clock.wall += 5 * 3600
        clock.mono += 10
        await pilot.pause(0.3)  # the display looks four times a second
        assert app.timer("osallisuus").remaining_ms == 20 * MINUTE_MS - 10_000
        digits = app.screen.query_one(".timer-digits")
        assert digits.value == "19:50"  # type: ignore[attr-defined]
        clock.wall -= 10 * 3600
        clock.mono += 5
        await pilot.pause(0.3)
        assert digits.value == "19:45"  # type: ignore[attr-defined]
