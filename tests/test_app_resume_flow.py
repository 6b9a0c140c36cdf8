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


async def test_plain_start_goes_back_to_a_workshop_left_open(data_dir: Path, deck: Deck) -> None:
    """A workshop quit (or lost to a flat battery) mid-way opens again without the start screen;
    one the facilitator closed to the start screen does not."""
    from kit.screens.start import StartScreen

    with Store(data_dir) as store:
        session = store.create_session(deck, date="2027-03-12")
        store.session(session).record_step("area", "arvot")
    app = WorkshopApp(data_dir=data_dir, session_id=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    again = WorkshopApp(data_dir=data_dir)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, AreaScreen) and screen.area_id == "arvot"
        assert screen.selected_practice().id == deck.area("arvot").practices[2].id
        again.close_session()
        await settle(pilot)
        assert isinstance(again.screen, StartScreen)
    third = WorkshopApp(data_dir=data_dir)
    async with third.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(third.screen, StartScreen)


async def test_a_workshop_left_open_then_deleted_means_the_start_screen(
        data_dir: Path, deck: Deck) -> None:
    from kit.place import mark_open
    from kit.screens.start import StartScreen

    with Store(data_dir) as store:
        session = store.create_session(deck, date="2027-03-12")
        mark_open(data_dir, session)
        store.delete_session(session)
    mark_open(data_dir, session)
    app = WorkshopApp(data_dir=data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
