"""Shared by the fault tests: fake clocks, a settled Pilot, keys that arrive in one burst."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import events
from textual.pilot import Pilot

from kit.app import WorkshopApp
from kit.deck import Deck
from kit.store import Store


class FakeClock:
    """A monotonic clock and a wall clock the test moves by hand (together or apart)."""

    def __init__(self) -> None:
        self.mono = 1000.0
        self.wall = 1_800_000_000.0


async def settle(pilot: Pilot[None]) -> None:
    """Let the app finish changing screens (its own task) and draw."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def make_app(data_dir: Path, clock: FakeClock | None = None, **kwargs: object) -> WorkshopApp:
    clock = clock or FakeClock()
    return WorkshopApp(data_dir=data_dir, clock=lambda: clock.mono,  # type: ignore[arg-type]
                       wall=lambda: clock.wall, today=lambda: dt.date(2027, 3, 12), **kwargs)


def session_in_area(data_dir: Path, deck: Deck, area_id: str = "osallisuus",
                    **settings: object) -> str:
    """A saved session whose facilitator was last in `area_id` (the app opens it there)."""
    with Store(data_dir) as store:
        session = store.create_session(deck, date="2027-03-12", **settings)
        store.session(session).record_step("area", area_id)
    return session


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Keys as a terminal delivers a quick typist's (or a slow machine's) input: all queued
    before the app handles the first, as when they come in one read from the terminal."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        driver.send_message(event)
    await settle(pilot)


def status_line(app: WorkshopApp) -> str:
    """The area screen's status line as the facilitator reads it."""
    from textual.widgets import Static

    return str(app.screen.query_one("#area-status", Static).render())
