"""The start screen (issue 13, item 13): `d` does not pile up sample workshops, and a
workshop can be deleted in the app, after a question that names it."""

from __future__ import annotations

from pathlib import Path

from flow_helpers import settle

from kit.app import WorkshopApp
from kit.screens.area import AreaScreen
from kit.screens.base import ConfirmDialog
from kit.screens.start import StartScreen
from kit.screens.summary import SummaryScreen


async def test_d_opens_the_sample_made_before(data_dir: Path) -> None:
    app = WorkshopApp(data_dir=data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        first = app.session_id
        assert isinstance(app.screen, AreaScreen | SummaryScreen)
        app.close_session()
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("d")
        await settle(pilot)
        assert app.session_id == first
        assert len(app.store.sessions()) == 1


async def test_delete_asks_and_deletes_the_chosen_workshop(data_dir: Path) -> None:
    from kit.demo import create_demo
    from kit.store import Store

    with Store(data_dir) as store:
        session = create_demo(store)
    app = WorkshopApp(data_dir=data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Esimerkkilän" in app.screen.question
        await pilot.press("escape")
        await settle(pilot)
        assert [i.id for i in app.store.sessions()] == [session]
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert app.store.sessions() == []


async def test_moving_about_does_not_add_to_the_entries(data_dir: Path) -> None:
    """Item 13: the list's "Merkintöjä" counts what the room said, not screens visited."""
    from kit.deck import load_deck
    from kit.store import Store

    with Store(data_dir) as store:
        session = store.create_session(load_deck(), date="2027-03-12")
        store.session(session).record_step("area", "osallisuus")
    app = WorkshopApp(data_dir=data_dir, session_id=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right", "right", "left", "s", "space")
        await settle(pilot)
        await pilot.press("o", "1")  # one rating
        await settle(pilot)
    [info] = Store(data_dir).sessions()
    assert info.entries == 1
