"""Quitting and Esc never lose typed text, and ctrl+q does not end a ballot (issue 13, item 7)."""

from __future__ import annotations

from pathlib import Path

from flow_helpers import session_app, settle
from textual.widgets import Input, Static

from kit.app import WorkshopApp
from kit.deck import Deck
from kit.screens.ballot import BallotScreen
from kit.screens.base import ConfirmDialog
from kit.screens.comment import CommentDialog
from kit.screens.setup import SetupScreen
from kit.screens.start import StartScreen


async def test_ctrl_q_in_a_comment_asks_and_keeps_the_text(data_dir: Path, deck: Deck) -> None:
    app, _session = session_app(data_dir, deck)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"tärkeä havainto", "ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and app.is_running
        await pilot.press("escape")  # go on typing: the text is all there
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
        assert app.screen.query_one("#comment-text").value == "tärkeä havainto"  # type: ignore[attr-defined]
        await pilot.press("escape")  # Esc asks too
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
        await pilot.press("ctrl+q", "ctrl+q")  # asked, and ctrl+q again says yes
        await settle(pilot)
        assert not app.is_running


async def test_ctrl_q_with_nothing_typed_quits_at_once(data_dir: Path, deck: Deck) -> None:
    app, _session = session_app(data_dir, deck)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running


async def test_ctrl_q_during_a_ballot_needs_the_facilitator(data_dir: Path, deck: Deck) -> None:
    app, _session = session_app(data_dir, deck, "ballot", "osallisuus")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "1", "ctrl+q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, BallotScreen)
        assert app.screen.state == "fill"  # the voter's answers are still there
        await pilot.press("escape", "ctrl+x", "ctrl+x")  # the facilitator closes the round
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running


async def test_esc_on_the_set_up_form_asks_before_throwing_away(data_dir: Path) -> None:
    app = WorkshopApp(data_dir=data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.new_session()
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press(*"Kyläyhdistys", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # keep typing
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#in-association", Input).value == "Kyläyhdistys"
        await pilot.press("escape", "enter")  # throw it away
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)


async def test_a_group_with_entries_is_not_removed_unseen(data_dir: Path, deck: Deck) -> None:
    """Item 12: removing a group that has entries is refused at once, the row stays."""
    app, _session = session_app(data_dir, deck, "setup", None, groups=["Hallitus", "Nuoret"])
    practice = deck.areas[0].practices[0].id
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.session.record_rating(1, practice, "hyvin", 3)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        rows = list(screen.query(".group-row"))
        await pilot.click(rows[0].query_one(".group-remove"))
        await settle(pilot)
        assert len(screen.query(".group-row")) == 2
        assert "Hallitus" in str(screen.query_one("#err-groups", Static).render())
        await pilot.click(rows[1].query_one(".group-remove"))  # no entries: it goes
        await settle(pilot)
        assert len(screen.query(".group-row")) == 1
