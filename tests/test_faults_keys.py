"""Keys typed quickly keep their order: a burst of keys records what a slow typist would.

The power-loss suite found it: in a real terminal, "x 1 2 Enter 1" arriving in one read left
the count at 121, and "x 1 2⏎" split over two reads recorded a rating at the wrong level,
because Enter and the arrows were priority bindings, run before the keys queued ahead of them.
"""

from __future__ import annotations

from pathlib import Path

from fault_helpers import burst, make_app, session_in_area, settle

from kit.deck import Deck
from kit.screens.area import AreaScreen
from kit.screens.ballot import BallotScreen
from kit.store import Store


async def test_a_burst_of_keys_on_the_area_screen_is_read_in_order(data_dir: Path,
                                                                     deck: Deck) -> None:
    session = session_in_area(data_dir, deck)
    os_ = [p.id for p in deck.area("osallisuus").practices]
    yt = [p.id for p in deck.area("yhteistyo").practices]
    app = make_app(data_dir, session_id=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        await burst(pilot, "x", "1", "2", "enter", "1")  # twelve people: works well
        await burst(pilot, "down", "2", "right", "3")  # OS-2 partly; then the next area
        await burst(pilot, "x", "7", "enter", "plus")  # seven dots in the second area
        assert app.screen.area_id == "yhteistyo"  # type: ignore[attr-defined]
    snapshot = Store(data_dir).snapshot(session)
    assert dict(snapshot.ratings) == {(1, os_[0], "hyvin"): 12, (1, os_[1], "osittain"): 1,
                                      (1, yt[0], "kehitettava"): 1}
    assert dict(snapshot.dots) == {(1, yt[0]): 7}


async def test_a_burst_of_keys_on_a_secret_ballot_is_read_in_order(data_dir: Path,
                                                                     deck: Deck) -> None:
    with Store(data_dir) as store:
        session = store.create_session(deck, date="2027-03-12")
        store.session(session).record_step("ballot", "osallisuus")
    os_ = [p.id for p in deck.area("osallisuus").practices]
    app = make_app(data_dir, session_id=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BallotScreen)
        # Start, rate the first practice 1, the second 3 (each answer moves on), back up to
        # give the second a dot, review, send.
        await burst(pilot, "enter", "1", "3", "up", "plus", "tab", "enter")
    totals = Store(data_dir).snapshot(session).ballot_totals("osallisuus")
    assert totals.ballots == 1
    assert dict(totals.ratings) == {(os_[0], "hyvin"): 1, (os_[1], "kehitettava"): 1}
    assert dict(totals.dots) == {os_[1]: 1}
