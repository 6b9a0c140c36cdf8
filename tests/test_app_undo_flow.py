"""Undo never acts unseen (issue 13, items 4 and 5): an entry in another area, or text that
was typed, is taken back only after the facilitator says yes."""

from __future__ import annotations

from pathlib import Path

from flow_helpers import session_app, settle

from kit.deck import Deck
from kit.screens.area import AreaScreen
from kit.screens.base import ConfirmDialog
from kit.screens.summary import SummaryScreen


async def test_undo_asks_before_taking_back_an_entry_of_another_area(
        data_dir: Path, deck: Deck) -> None:
    app, _session = session_app(data_dir, deck)
    other = deck.area("yhteistyo").practices[2].id
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.session.record_rating(1, other, "osittain", 10)  # made in Yhteistyö
        assert isinstance(app.screen, AreaScreen) and app.screen.area_id == "osallisuus"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert deck.area("yhteistyo").title("fi") in app.screen.question
        assert dict(app.snapshot().ratings) == {(1, other, "osittain"): 10}
        await pilot.press("escape")  # no: it stays
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        assert dict(app.snapshot().ratings) == {(1, other, "osittain"): 10}
        await pilot.press("ctrl+z")
        await settle(pilot)
        await pilot.press("enter")  # yes
        await settle(pilot)
        assert dict(app.snapshot().ratings) == {}


async def test_undo_in_the_area_shown_needs_no_question(data_dir: Path, deck: Deck) -> None:
    app, _session = session_app(data_dir, deck)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1", "ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        assert dict(app.snapshot().ratings) == {}


async def test_undoing_a_comment_asks_before_its_text_goes(data_dir: Path, deck: Deck) -> None:
    app, _session = session_app(data_dir, deck)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"pitkä kirjoitettu ajatus", "enter")
        await settle(pilot)
        assert len(app.snapshot().comments) == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.snapshot().comments) == 1  # kept
        await pilot.press("ctrl+z")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.snapshot().comments == ()


async def test_deleting_an_action_item_asks_first(data_dir: Path, deck: Deck) -> None:
    app, _session = session_app(data_dir, deck, "summary", None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.session.add_action("Kysely jäsenille", "Aino", "toukokuu")
        assert isinstance(app.screen, SummaryScreen)
        app.screen.refresh_view()
        await pilot.press("3", "delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.snapshot().actions) == 1
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.snapshot().actions == ()


async def test_a_comment_can_be_edited_and_deleted_from_the_summary(
        data_dir: Path, deck: Deck) -> None:
    """Item 5: comments are edited (e or Enter) and deleted (Delete, asking first)."""

    from kit.screens.comment import CommentDialog

    app, _session = session_app(data_dir, deck, "summary", None)
    practice = deck.area("osallisuus").practices[0].id
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.session.add_comment("kahvia lisää", "idea", practice_id=practice,
                                area_id="osallisuus", group_id=1)
        assert isinstance(app.screen, SummaryScreen)
        app.screen.refresh_view()
        await pilot.press("2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
        field = app.screen.query_one("#comment-text")
        assert field.value == "kahvia lisää"  # type: ignore[attr-defined]
        await pilot.press("end", *" ja pullaa", "enter")
        await settle(pilot)
        [comment] = app.snapshot().comments
        assert (comment.text, comment.tag, comment.practice_id, comment.group_id) == (
            "kahvia lisää ja pullaa", "idea", practice, 1)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.snapshot().comments) == 1
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.snapshot().comments == ()
