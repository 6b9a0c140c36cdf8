"""Starting again returns to the same screen, area, group and row (issue 13, item 8)."""

from __future__ import annotations

from pathlib import Path

from flow_helpers import settle

from kit.app import WorkshopApp
from kit.deck import Deck
from kit.screens.area import AreaScreen
from kit.store import Store


async def test_a_restart_shows_the_same_practice(data_dir: Path, deck: Deck) -> None:
    with Store(data_dir) as store:
        session = store.create_session(deck, date="2027-03-12")
        store.session(session).record_step("area", "yhteistyo")
    practices = deck.area("yhteistyo").practices
    app = WorkshopApp(data_dir=data_dir, session_id=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*["down"] * (len(practices) - 1))  # the last practice, no entry
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    again = WorkshopApp(data_dir=data_dir, session_id=session)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, AreaScreen) and screen.area_id == "yhteistyo"
        assert screen.selected_practice().id == practices[-1].id
        await pilot.press("1")  # the show of hands goes to the row on screen
        await settle(pilot)
        assert dict(again.snapshot().ratings) == {(1, practices[-1].id, "hyvin"): 1}


async def test_moving_between_areas_keeps_each_areas_row(data_dir: Path, deck: Deck) -> None:
    with Store(data_dir) as store:
        session = store.create_session(deck, date="2027-03-12")
        store.session(session).record_step("area", "osallisuus")
    app = WorkshopApp(data_dir=data_dir, session_id=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AreaScreen)
        await pilot.press("down", "down", "right", "down", "left")
        await settle(pilot)
        assert screen.selected_practice().id == deck.area("osallisuus").practices[2].id
        await pilot.press("right")
        await settle(pilot)
        assert screen.selected_practice().id == deck.area("yhteistyo").practices[1].id
