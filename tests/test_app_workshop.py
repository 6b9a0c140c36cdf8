"""A whole workshop through the keyboard, and a restart in the middle of one.

The Pilot drives the app as a facilitator would; the assertions read the store, never the
screen: what counts is what was saved.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from textual.pilot import Pilot

from kit.app import WorkshopApp
from kit.deck import Deck
from kit.exports.files import available_formats
from kit.screens.area import AreaScreen
from kit.screens.ballot import BallotScreen
from kit.screens.export import ExportScreen
from kit.screens.setup import SetupScreen
from kit.screens.start import StartScreen
from kit.screens.summary import SummaryScreen
from kit.store import Store
from kit.timer import MINUTE_MS


class FakeClock:
    def __init__(self) -> None:
        self.mono = 1000.0
        self.wall = 1_800_000_000.0

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds


async def settle(pilot: Pilot[None]) -> None:
    """Let the app finish changing screens (its own task) and draw."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def make_app(data_dir: Path, clock: FakeClock, **kwargs: object) -> WorkshopApp:
    return WorkshopApp(data_dir=data_dir, clock=lambda: clock.mono, wall=lambda: clock.wall,
                       today=lambda: dt.date(2027, 3, 12), **kwargs)  # type: ignore[arg-type]


async def test_a_whole_workshop_by_keyboard(data_dir: Path, tmp_path: Path, deck: Deck) -> None:
    clock = FakeClock()
    app = make_app(data_dir, clock)
    os_, yt, ar, pt = ([p.id for p in area.practices] for area in deck.areas)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)

        # Set-up: an association name and a second group, then save and start.
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press(*"Testi", "ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen) and app.screen.area_id == "osallisuus"
        session = app.session_id
        assert session is not None
        meta = app.store.snapshot(session).meta
        assert meta.association == "Testi" and meta.date == "2027-03-12"
        assert [g.name for g in meta.groups] == ["Ryhmä 1", "Ryhmä 2"]

        # Area 1, group 1: show of hands, a count over ten, dots, a mistake undone.
        await pilot.press("5", "1", "2")
        await pilot.press("down", "x", "1", "2", "enter", "3")
        await pilot.press("plus", "plus")
        await pilot.press("9", "2", "ctrl+z")
        # Group 2: more counts, a "don't know", seven dots, a comment.
        await pilot.press("tab", "6", "1", "down", "4", "7", "plus")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"hyva", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)

        # Three secret ballots, then the box is closed with ctrl+x twice.
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BallotScreen)
        await pilot.press("enter", "1", "2", "up", "plus", "tab", "enter")
        await pilot.press("enter", "3", "up", "plus", "plus", "down", "down", "down", "1",
                          "plus", "tab", "enter")  # the last practice: an answer stays there
        await pilot.press("escape")  # Esc on the thank-you screen closes nothing
        assert isinstance(app.screen, BallotScreen)
        await pilot.press("enter", "1", "tab", "enter")
        await pilot.press("ctrl+x", "ctrl+x")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)

        # Area 2: group 2 is still selected; the combined view takes no entries.
        await pilot.press("right")
        await settle(pilot)
        assert app.screen.area_id == "yhteistyo"
        await pilot.press("3", "tab", "1", "tab", "8", "1", "plus")
        # Area 3: group 1 then 2; "r" takes one away again.
        await pilot.press("right", "down", "down", "5", "2", "tab", "5", "3", "1", "r", "1")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("x", "y", "enter")
        await settle(pilot)
        # Area 4.
        await pilot.press("right", "1", "plus", "plus", "plus", "tab", "tab", "2")
        assert app.screen.area_id == "perustoiminta"

        # After the last area: the summary, an action item, the export.
        await pilot.press("right")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("3", "a")
        await settle(pilot)
        await pilot.press(*"Kokous", "tab", *"Maija", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        out = tmp_path / "usb"
        app.screen.query_one("#export-folder").value = str(out)  # type: ignore[attr-defined]
        await pilot.press("ctrl+e")
        await settle(pilot)

    snapshot = Store(data_dir).snapshot(session)
    assert dict(snapshot.ratings) == {
        (1, os_[0], "hyvin"): 5, (1, os_[0], "osittain"): 1, (1, os_[1], "kehitettava"): 12,
        (2, os_[1], "hyvin"): 6, (2, os_[2], "en-tieda"): 1,
        (2, yt[0], "kehitettava"): 1, (1, yt[0], "hyvin"): 8,
        (1, ar[2], "osittain"): 5, (2, ar[2], "kehitettava"): 5,
        (2, pt[0], "hyvin"): 1, (1, pt[0], "osittain"): 1,
    }
    assert dict(snapshot.dots) == {(1, os_[1]): 2, (2, os_[2]): 7, (1, yt[0]): 1,
                                   (2, pt[0]): 3}
    ballots = snapshot.ballot_totals("osallisuus")
    assert ballots.ballots == 3
    assert dict(ballots.ratings) == {(os_[0], "hyvin"): 2, (os_[0], "kehitettava"): 1,
                                     (os_[1], "osittain"): 1, (os_[3], "hyvin"): 1}
    assert dict(ballots.dots) == {os_[1]: 1, os_[0]: 2, os_[3]: 1}
    assert all(snapshot.ballot_totals(a).ballots == 0
               for a in ("yhteistyo", "arvot", "perustoiminta"))
    assert [(c.text, c.tag, c.practice_id, c.group_id) for c in snapshot.comments] == [
        ("hyva", "strength", os_[2], 2), ("xy", "strength", ar[2], 2)]
    assert [(a.what, a.who, a.due, a.practice_id) for a in snapshot.actions] == [
        ("Kokous", "Maija", "", None)]
    # The tallies as the summary shows them: groups and ballots together.
    tally = snapshot.tally(os_[0])
    assert tally.levels == {"hyvin": 7, "osittain": 1, "kehitettava": 1, "en-tieda": 0}
    assert tally.dots == 2
    # The export: three files in the chosen folder; the JSON holds the session.
    files = sorted(p.name for p in out.iterdir())
    expected = ["tyopaja-2027-03-12-testi.csv", "tyopaja-2027-03-12-testi.json",
                "tyopaja-2027-03-12-testi.md", "tyopaja-2027-03-12-testi.xlsx"]
    if "summary" in available_formats():  # the print issue's PDFs, once they are there
        expected += ["tyopaja-2027-03-12-testi-yhteenveto.pdf"]
    if "cards" in available_formats():
        expected += ["tyopaja-2027-03-12-testi-kortit.pdf"]
    assert files == sorted(expected)
    data = json.loads((out / "tyopaja-2027-03-12-testi.json").read_text("utf-8"))
    assert data["format"] == "tyopaja-session" and data["session"]["association"] == "Testi"
    assert snapshot.step is not None and snapshot.step.screen == "export"


async def test_quit_in_an_area_and_start_again(data_dir: Path, deck: Deck) -> None:
    clock = FakeClock()
    with Store(data_dir) as store:
        session = store.create_session(deck, association="Kylä ry", date="2027-03-12",
                                       groups=["A", "B"], minutes=15)
    app = make_app(data_dir, clock, session_id=session)
    yt = [p.id for p in deck.area("yhteistyo").practices]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)  # a new session starts at its set-up
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("right")  # to the second area
        await settle(pilot)
        await pilot.press("down", "6", "2", "tab", "plus", "space")  # entries; timer starts
        clock.advance(90)
        await settle(pilot)
    clock.advance(30)  # the laptop was closed for half a minute

    again = make_app(data_dir, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = again.screen  # the workshop left open comes straight back
        assert isinstance(screen, AreaScreen) and screen.area_id == "yhteistyo"
        snapshot = again.snapshot()
        assert dict(snapshot.ratings) == {(1, yt[1], "osittain"): 6}
        assert dict(snapshot.dots) == {(2, yt[1]): 1}
        timer = again.timer("yhteistyo")
        assert timer.running
        assert timer.remaining_ms == 15 * MINUTE_MS - 120_000
        assert again.timer("osallisuus").remaining_ms == 15 * MINUTE_MS


async def test_bad_input_is_a_message_not_a_crash(data_dir: Path, deck: Deck) -> None:
    clock = FakeClock()
    with Store(data_dir) as store:
        session = store.create_session(deck, date="2027-03-12")
        store.session(session).record_step("area", "osallisuus")
    app = make_app(data_dir, clock, session_id=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Taking away more than there is: refused with a message, nothing saved.
        await pilot.press("r", "1", "minus")
        # An over-long comment, pasted with control characters: the dialog says why.
        await pilot.press("c")
        await settle(pilot)
        field = app.screen.query_one("#comment-text")
        field.value = "\x1b[31m" + "a" * 10_001  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#err-text").has_class("-shown")
        field.value = "\x07ok\x1b"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        # Set-up with an empty group name and a bad date: marked where they are.
        await pilot.press("a")
        await settle(pilot)
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        setup.query_one(".group-name").value = "  "  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert setup.query_one("#err-groups").has_class("-shown")
        setup.query_one(".group-name").value = "Koko porukka"  # type: ignore[attr-defined]
        setup.query_one("#in-date").value = "31.2.2027"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert setup.query_one("#err-date").has_class("-shown")
        assert app.screen is setup
    snapshot = Store(data_dir).snapshot(session)
    assert not snapshot.ratings and not snapshot.dots
    assert [c.text for c in snapshot.comments] == ["ok"]
    assert snapshot.meta.groups[0].name == "Ryhmä 1"


async def test_the_summary_returns_to_the_area_it_was_opened_from(data_dir: Path,
                                                                  deck: Deck) -> None:
    clock = FakeClock()
    with Store(data_dir) as store:
        session = store.create_session(deck, association="Kylä ry", date="2027-03-12",
                                       groups=["A"])
    app = make_app(data_dir, clock, session_id=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("right")  # the second area, then a look at the summary
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen) and app.screen.area_id == "yhteistyo"


async def test_a_restart_keeps_the_group_that_was_chosen(data_dir: Path, deck: Deck) -> None:
    clock = FakeClock()
    with Store(data_dir) as store:
        session = store.create_session(deck, association="Kylä ry", date="2027-03-12",
                                       groups=["A", "B", "C"])
        store.session(session).record_step("area", "osallisuus")
    app = make_app(data_dir, clock, session_id=session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab")  # group C
        await settle(pilot)
    again = make_app(data_dir, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(again.screen, AreaScreen)
        await pilot.press("1")  # the next show of hands goes to C, as the screen says
        await settle(pilot)
        practice = deck.area("osallisuus").practices[0].id
        assert dict(again.snapshot().ratings) == {(3, practice, "hyvin"): 1}
        await pilot.press("tab")  # "all groups" is kept too
        await settle(pilot)
    third = make_app(data_dir, clock)
    async with third.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "1")
        await settle(pilot)
        assert dict(third.snapshot().ratings) == {(3, practice, "hyvin"): 1}  # not entered


async def test_the_start_screen_lists_many_workshops_and_opens_the_one_chosen(
        data_dir: Path, deck: Deck) -> None:
    """Thirty saved workshops: the list scrolls within the screen, ▶ marks the choice (not
    colour alone) and ↑/↓ say there is more, the keys and the motto stay in view, and Enter
    or a click opens the workshop."""
    with Store(data_dir) as store:
        ids = [store.create_session(deck, association=f"Yhdistys {n} ry", date="2027-03-12",
                                    groups=["Ryhmä 1"]) for n in range(30)]
    oldest = ids[0]
    app = make_app(data_dir, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StartScreen)
        listing = screen.query_one("#sessions")
        motto = screen.query_one("#start-motto")
        assert listing.region.bottom <= motto.region.y < 24  # the list leaves room for it

        def shown() -> list[str]:
            return str(listing.render()).splitlines()

        rows = shown()
        assert rows[0].startswith("▶ ") and "Yhdistys 29" in rows[0]
        assert rows[-1].startswith("↓ ") and len(rows) == listing.size.height < 30
        await pilot.press("end")
        rows = shown()
        assert rows[-1].startswith("▶ ") and "Yhdistys 0 " in rows[-1]
        assert rows[0].startswith("↑ ")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen) and app.session_id == oldest
        app.close_session()  # back to the list: the next start shows it again
        await settle(pilot)

    app = make_app(data_dir, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#sessions")
        # The top row: the workshop worked on last, which is the one opened just now.
        await pilot.click(listing, offset=(5, 0))
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen) and app.session_id == oldest


async def test_the_start_screen_buttons_press_their_keys(data_dir: Path) -> None:
    """The buttons are links in the heading: a click on one does what its key does."""
    app = make_app(data_dir, FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        head = app.screen.query_one("#start-head")
        lines = [strip.text for strip in head.render_lines(head.region.reset_offset)]
        (row,) = [y for y, text in enumerate(lines) if " n  " in text]
        column = lines[row].index(" d  ") + 2  # on the "d" of the sample workshop's button
        await pilot.click(head, offset=(column, row))
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)  # the sample opens at its summary
        assert len(app.snapshot().comments) > 0  # and it is the sample: filled in
