"""The comment and action item dialogs (issue 13, item 6): Enter saves from any field, as the
"Tallenna (Enter)" button says; an open list still takes Enter to choose."""

from __future__ import annotations

from pathlib import Path

from flow_helpers import session_app, settle

from kit.deck import Deck
from kit.screens.action import ActionDialog
from kit.screens.area import AreaScreen
from kit.screens.comment import CommentDialog
from kit.screens.summary import SummaryScreen


async def test_enter_on_the_tag_choice_saves_the_comment(data_dir: Path, deck: Deck) -> None:
    app, _session = session_app(data_dir, deck)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
        await pilot.press(*"hyvä idea", "tab")  # to the tag choice
        assert app.screen.focused is not None and app.screen.focused.id == "comment-tag"
        await pilot.press("right", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        [comment] = app.snapshot().comments
        assert comment.text == "hyvä idea" and comment.tag == "idea"  # the one Enter was on


async def test_enter_on_the_practice_list_saves_the_action_item(
        data_dir: Path, deck: Deck) -> None:
    app, _session = session_app(data_dir, deck, "summary", None)
    first = deck.areas[0].practices[0]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActionDialog)
        await pilot.press(*"Kysely", "tab", "tab", "tab")  # what, who, due, the practice
        assert app.screen.focused is not None and app.screen.focused.id == "action-practice"
        await pilot.press("space")  # open the list: Enter chooses in it, the dialog stays
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        await pilot.press("enter")  # the list is closed now: Enter saves
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        [action] = app.snapshot().actions
        assert action.what == "Kysely" and action.practice_id == first.id
