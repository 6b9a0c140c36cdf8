"""Two app instances on one data folder (two windows, or a second laptop on a shared folder):
no entry is lost, and each shows the other's entries without a key press."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fault_helpers import make_app, session_in_area, settle, status_line
from textual.pilot import Pilot

from kit.app import WorkshopApp
from kit.deck import Deck
from kit.screens.area import AreaScreen
from kit.screens.summary import SummaryScreen
from kit.store import Store


def _cell(app: WorkshopApp, practice_id: str, level_id: str) -> str:
    table = app.screen.query_one("#practices")
    return str(table.get_cell(practice_id, level_id)).split()[0]  # type: ignore[attr-defined]


async def _until(pilot: Pilot[None], check: object, seconds: float = 5.0) -> None:
    """Wait, as a facilitator would, at most `seconds` for the screen to catch up."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not (callable(check) and check()):
        assert loop.time() < end, "the other window's entries did not show up in time"
        await pilot.pause(0.1)


async def test_two_apps_on_one_folder_lose_nothing_and_see_each_other(data_dir: Path,
                                                                     deck: Deck) -> None:
    session = session_in_area(data_dir, deck, groups=["A", "B"])
    first, second = (p.id for p in deck.area("osallisuus").practices[:2])
    one = make_app(data_dir, session_id=session)
    two = make_app(data_dir, session_id=session)
    async with one.run_test(size=(100, 30)) as p1, two.run_test(size=(100, 30)) as p2:
        await settle(p1)
        await settle(p2)
        assert isinstance(one.screen, AreaScreen) and isinstance(two.screen, AreaScreen)
        # Interleaved entries on the same practice and level from both windows.
        for n in range(1, 6):
            await p1.press("x", *str(n), "enter", "1")
            await p2.press("x", *str(n + 5), "enter", "1")
        assert "Tallennettu +10" in status_line(two)
        await p2.press("down", "plus", "plus")
        total = sum(range(1, 11))
        # Each window shows the other's entries on its next tick (half a second; 5 s allowed
        # for a busy CI machine), with no key pressed.
        await _until(p1, lambda: _cell(one, second, "dots") == "2")
        await _until(p2, lambda: _cell(two, first, "hyvin") == str(total))
        assert _cell(one, first, "hyvin") == str(total)
        # The summary of the first window follows too.
        await p1.press("s")
        await settle(p1)
        assert isinstance(one.screen, SummaryScreen)
        # Read before the second window types: its key presses wait for idle, and the first
        # window's tick may redraw in the meantime.
        before = str(one.screen.query_one("#results-text").render())
        await p2.press("up", "4")
        assert two.snapshot().tally(first).levels["en-tieda"] == 1  # saved by the second
        # First the first window's tallies, then what its summary shows.
        await _until(p1, lambda: one.snapshot().tally(first).levels["en-tieda"] == 1)
        await _until(p1, lambda: str(one.screen.query_one("#results-text").render()) != before)
    with Store(data_dir) as store:
        snapshot = store.snapshot(session)
        assert dict(snapshot.ratings) == {(1, first, "hyvin"): total, (1, first, "en-tieda"): 1}
        assert dict(snapshot.dots) == {(1, second): 2}
        assert len([e for e in store.entries(session) if e.kind == "rating"]) == 11


def test_two_stores_see_each_other_after_refresh(data_dir: Path, deck: Deck) -> None:
    """The store-level promise the app relies on: a cheap 'changed?' and an exact refresh."""
    with Store(data_dir) as a, Store(data_dir) as b:
        session = a.create_session(deck)
        practice = deck.area("osallisuus").practices[0].id
        b.state(session)
        assert b.changed_elsewhere()  # the session itself is news to b
        assert not b.changed_elsewhere()
        a.session(session).record_rating(1, practice, "hyvin", 3)
        assert b.changed_elsewhere() and not b.changed_elsewhere()
        assert not a.changed_elsewhere()  # its own writes are not news to it
        assert b.refresh(session).tally(practice).levels["hyvin"] == 3
        b.session(session).record_dots(1, practice, 2)
        a.session(session).record_rating(1, practice, "hyvin", 4)
        assert a.refresh(session).tally(practice).dots == 2
        assert b.refresh(session).tally(practice).levels["hyvin"] == 7
        assert a.snapshot(session).entry_count == b.snapshot(session).entry_count == 3
