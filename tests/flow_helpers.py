"""What the facilitator-flow tests (tests/test_app_*_flow.py) share: an app on a session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from kit.app import WorkshopApp
from kit.deck import Deck
from kit.store import Store


async def settle(pilot: Pilot[None]) -> None:
    """Let the app finish changing screens (its own task) and draw."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def session_app(data_dir: Path, deck: Deck, step: str = "area", area: str | None = "osallisuus",
                lang: str = "fi", **settings: Any) -> tuple[WorkshopApp, str]:
    """A new session shown at `step` (and `area`), and an app that opens it."""
    with Store(data_dir) as store:
        session = store.create_session(deck, date="2027-03-12", lang=lang, **settings)
        store.session(session).record_step(step, area)
    app = WorkshopApp(data_dir=data_dir, session_id=session, lang=lang,
                      today=lambda: dt.date(2027, 3, 12))
    return app, session
