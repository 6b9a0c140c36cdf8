"""The secret ballot as the voters and the facilitator go through it (issue 13, items 1–3).

Each test drives the laptop ballot with the Pilot and reads the store for what was counted.
"""

from __future__ import annotations

from pathlib import Path

from flow_helpers import session_app, settle
from textual.widgets import Static

from kit.app import WorkshopApp
from kit.deck import Deck
from kit.screens.area import AreaScreen
from kit.screens.ballot import BallotScreen
from kit.store import Store


def ballot_app(data_dir: Path, deck: Deck, lang: str = "fi") -> tuple[WorkshopApp, str]:
    return session_app(data_dir, deck, "ballot", "osallisuus", lang)


def message(app: WorkshopApp) -> str:
    return str(app.screen.query_one("#ballot-message", Static).render())


async def test_the_next_voter_is_not_offered_a_take_back(data_dir: Path, deck: Deck) -> None:
    """Item 1: ctrl+z on the voter's screens does nothing; only the facilitator's menu can."""
    app, _session = ballot_app(data_dir, deck)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "1", "tab", "enter")
        assert app.snapshot().ballot_totals("osallisuus").ballots == 1
        assert "ctrl+z" not in message(app)  # the thank-you screen invites no one to undo
        await pilot.press("ctrl+z", "ctrl+z")  # whoever holds the laptop now
        assert app.snapshot().ballot_totals("osallisuus").ballots == 1
        await pilot.press("ctrl+x")  # the facilitator's menu: it offers the take-back
        assert "ctrl+z" in message(app)
        await pilot.press("ctrl+z")  # asks first
        assert app.snapshot().ballot_totals("osallisuus").ballots == 1
        await pilot.press("escape")  # not confirmed: the ballot stays
        assert app.snapshot().ballot_totals("osallisuus").ballots == 1
        await pilot.press("ctrl+x", "ctrl+z", "ctrl+z")  # asked and confirmed
        assert app.snapshot().ballot_totals("osallisuus").ballots == 0
        await pilot.press("ctrl+x", "ctrl+z", "ctrl+z", "escape")  # once only
        assert app.snapshot().ballot_totals("osallisuus").ballots == 0
        await pilot.press("enter", "2", "tab", "enter", "enter")  # the next person starts
        await pilot.press("escape", "ctrl+x", "ctrl+z", "ctrl+z", "escape")
        assert app.snapshot().ballot_totals("osallisuus").ballots == 1
        await pilot.press("ctrl+x", "ctrl+x")  # the menu's ctrl+x closes the round
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)


async def test_three_enters_do_not_count_a_blank_ballot(data_dir: Path, deck: Deck) -> None:
    """Item 2: Enter through every practice and send: nothing chosen, nothing counted."""
    app, _session = ballot_app(data_dir, deck)
    count = len(deck.area("osallisuus").practices)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", *["enter"] * count, "enter")
        assert isinstance(app.screen, BallotScreen) and app.screen.state == "blank"
        assert app.snapshot().ballot_totals("osallisuus").ballots == 0


async def test_a_level_key_answers_and_moves_on(data_dir: Path, deck: Deck) -> None:
    """Item 3: one key per practice; Enter is "next" until the last, then the review."""
    app, session = ballot_app(data_dir, deck)
    practices = [p.id for p in deck.area("osallisuus").practices]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, BallotScreen)
        await pilot.press("1")
        assert screen.current == 1 and screen.state == "fill"
        await pilot.press("enter")  # skips the second practice
        assert screen.current == 2 and screen.state == "fill"
        keys = ["3"] * (len(practices) - 3)
        await pilot.press(*keys)
        assert screen.current == len(practices) - 1 and screen.state == "fill"
        await pilot.press("2")  # the last practice answered: still there, Enter reviews
        assert screen.state == "fill"
        await pilot.press("enter")
        assert screen.state == "review"
        await pilot.press("enter")
    totals = Store(data_dir).snapshot(session).ballot_totals("osallisuus")
    expected = {(practices[0], "hyvin"): 1, (practices[-1], "osittain"): 1}
    expected |= {(p, "kehitettava"): 1 for p in practices[2:-1]}
    assert dict(totals.ratings) == expected


async def test_the_levels_are_written_out_in_words(data_dir: Path, deck: Deck) -> None:
    """Item 3: every level's full label on the ballot, none abbreviated, at 80 columns."""
    app, _session = ballot_app(data_dir, deck)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        row = str(app.screen.query(".ballot-row").first(Static).render())
        for level in deck.scale:
            assert level.label("fi") in row.replace("\u00a0", " ")


async def test_a_dot_straight_after_an_answer_goes_to_that_practice(
        data_dir: Path, deck: Deck) -> None:
    """A voter answers and then presses +: the dot is for the practice just answered, not for
    the next one the cursor has moved on to; after ↑↓, + is for the practice at ▸."""
    app, _session = ballot_app(data_dir, deck)
    os_ = [p.id for p in deck.area("osallisuus").practices]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "2", "plus", "plus")  # OS-1 answered, two dots for it
        screen = app.screen
        assert isinstance(screen, BallotScreen) and screen.current == 1  # ▸ on OS-2
        await pilot.press("3", "down", "plus")  # OS-2 answered; moved on: a dot for OS-4
        await pilot.press("tab", "enter")
        totals = app.snapshot().ballot_totals("osallisuus")
        assert totals.ballots == 1
        assert dict(totals.dots) == {os_[0]: 2, os_[3]: 1}
