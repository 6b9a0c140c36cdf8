"""The app's way across workshops: merge rooms from the start screen, "Vertaa aiempaan" on the
summary. The Pilot presses the keys; the assertions read the store or the screen's text."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from kit.app import WorkshopApp
from kit.deck import load_deck
from kit.report import build_report
from kit.screens.compare import CompareScreen
from kit.screens.merge import MergeScreen
from kit.screens.start import StartScreen
from kit.screens.summary import SummaryScreen
from kit.store import Store
from tests.across_helpers import Room, record

DECK = load_deck()
P = [p.id for p in DECK.practices()]


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _rooms(data_dir: Path) -> list[str]:
    store = Store(data_dir)
    ids = [record(store, DECK, Room("Sali", hands=[(1, P[0], "hyvin", 5)],
                                    comments=[("Kahvi ensin", P[0], 1)]), date="2027-03-12"),
           record(store, DECK, Room("Kerhohuone", hands=[(1, P[0], "hyvin", 4)]),
                  date="2027-03-12"),
           record(store, DECK, Room("Viime vuosi", hands=[(1, P[0], "kehitettava", 9)]),
                  date="2026-03-10")]
    store.close()
    return ids


async def test_merge_two_rooms_from_the_start_screen(data_dir: Path) -> None:
    sali, kerho, _old = _rooms(data_dir)
    app = WorkshopApp(data_dir=data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MergeScreen)
        order = [info.id for info in screen.infos]
        # One chosen is not enough: Enter says so and nothing is merged.
        for _ in range(order.index(sali)):
            await pilot.press("down")
        await pilot.press("space", "enter")
        await settle(pilot)
        assert not screen.confirming and len(app.store.sessions()) == 3
        # Choose the other room too; Enter asks, Esc steps back, Enter twice merges.
        for _ in range(order.index(sali)):
            await pilot.press("up")
        for _ in range(order.index(kerho)):
            await pilot.press("down")
        await pilot.press("space", "enter")
        assert screen.confirming
        assert "Yhdistetäänkö 2" in str(screen.query_one("#merge-status", Static).render())
        await pilot.press("escape")
        assert not screen.confirming and isinstance(app.screen, MergeScreen)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        merged = build_report(app.snapshot())
        assert app.session_id not in (sali, kerho)
        assert merged.practice(P[0]).total.counts["hyvin"] == 9
        assert {c.text for c in merged.comments} == {"Sali: Kahvi ensin"}
        assert len(app.store.sessions()) == 4


async def test_merge_screen_refuses_the_same_session_twice_and_goes_back(
        data_dir: Path) -> None:
    store = Store(data_dir)
    first = record(store, DECK, Room("Sali"))
    from kit.exports import jsonfile

    store.import_session(*jsonfile.loads(jsonfile.dumps(store.snapshot(first),
                                                        store.entries(first))))
    store.close()
    app = WorkshopApp(data_dir=data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("space", "down", "space", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MergeScreen) and not app.screen.confirming
        assert len(app.store.sessions()) == 2
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)


async def test_compare_with_an_earlier_workshop_from_the_summary(data_dir: Path) -> None:
    sali, _kerho, old = _rooms(data_dir)
    app = WorkshopApp(data_dir=data_dir, session_id=sali)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.go("summary")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        listing = screen.query_one("#compare-sessions")
        keys = [key for key, _ in listing._rows]  # type: ignore[attr-defined]
        assert sali not in keys and old in keys
        for _ in range(keys.index(old)):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        shown = str(screen.query_one("#compare-result", Static).render())
        assert "✓ 0/9 → 5/5 ▲ nousi" in shown and "✓ Toimii hyvin" in shown
        assert "! 9/9 → 0/5 ▼ laski" in shown
        await pilot.press("escape")
        assert not screen.showing
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
