"""The ballot box's rules, on a real store: what is counted, what can be taken back, and that
nothing on disk tells the ballots or their order apart."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.ballots import Ballot, BallotBox
from kit.deck import load_deck
from kit.errors import KitError
from kit.i18n import t
from kit.session import BallotTotals, Snapshot
from kit.store import DB_NAME, SessionHandle, Store

DECK = load_deck()
AREA = "osallisuus"
PRACTICES = [p.id for p in DECK.area(AREA).practices]
LEVELS = [level.id for level in DECK.scale]
DOTS = 3  # a session's dots per person unless told otherwise
BALLOT_TABLES = ("ballot_boxes", "ballot_ratings", "ballot_dots")

# Each ballot is a durable transaction (an fsync): keep the examples few.
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def ballots(*, blank: bool = True) -> st.SearchStrategy[Ballot]:
    """Valid ballots of the area: any levels, at most DOTS dots spread over its practices."""
    ratings = st.dictionaries(st.sampled_from(PRACTICES), st.sampled_from(LEVELS))
    dots = st.lists(st.sampled_from(PRACTICES), max_size=DOTS).map(lambda ps: dict(Counter(ps)))
    strategy = st.builds(Ballot, ratings, dots)
    return strategy if blank else strategy.filter(lambda b: not b.blank)


def recount(cast: list[Ballot]) -> BallotTotals:
    """The totals these ballots should add up to, counted here and not by the store."""
    counted = [b for b in cast if not b.blank]
    ratings: Counter[tuple[str, str]] = Counter()
    dots: Counter[str] = Counter()
    for ballot in counted:
        ratings.update(ballot.ratings.items())
        dots.update({p: n for p, n in ballot.dots.items() if n})
    return BallotTotals(len(counted), dict(ratings), dict(dots))


def files(folder: Path) -> bytes:
    """Every byte of the store on disk: the database and its write-ahead log."""
    return b"".join((folder / name).read_bytes() for name in (DB_NAME, DB_NAME + "-wal")
                    if (folder / name).exists())


def ballot_rows(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    """The ballot tables' rows, raw blobs included, in key order."""
    db = sqlite3.connect(folder / DB_NAME)
    try:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
                for table in BALLOT_TABLES}
    finally:
        db.close()


@pytest.fixture
def handle(store: Store) -> SessionHandle:
    return store.session(store.create_session(DECK))


def new_handle(store: Store, **settings: object) -> SessionHandle:
    """A fresh session per hypothesis example (the store fixture lives for the whole test)."""
    return store.session(store.create_session(DECK, **settings))


# taking back --------------------------------------------------------------------------------


@SETTINGS
@given(st.lists(ballots(), max_size=5), ballots(blank=False))
def test_taking_back_the_last_leaves_the_totals_of_the_others(
        store: Store, before: list[Ballot], last: Ballot) -> None:
    handle = new_handle(store)
    box = BallotBox(handle, AREA)
    for ballot in before:
        box.cast(ballot)
    expected = recount(before)
    assert handle.snapshot.ballot_totals(AREA) == expected
    result = box.cast(last)
    assert not result.blank and result.total == expected.ballots + 1
    assert handle.snapshot.ballot_totals(AREA) == recount([*before, last])
    box.request_take_back()
    assert box.confirm_take_back() == expected.ballots
    assert handle.snapshot.ballot_totals(AREA) == expected
    assert box.in_round == expected.ballots and box.total == expected.ballots
    assert not box.can_take_back


def test_taking_back_needs_a_confirmation(handle: SessionHandle, data_dir: Path) -> None:
    box = BallotBox(handle, AREA)
    box.cast(Ballot({PRACTICES[0]: LEVELS[0]}, {PRACTICES[1]: 2}))
    with pytest.raises(KitError) as refused:
        box.confirm_take_back()  # not asked for
    assert refused.value.key == "ballot.take_back_unconfirmed"
    box.request_take_back()
    assert box.take_back_requested
    assert handle.snapshot.ballot_totals(AREA).ballots == 1  # asking changes nothing
    box.cancel_take_back()
    with pytest.raises(KitError):
        box.confirm_take_back()  # the request was withdrawn
    assert handle.snapshot.ballot_totals(AREA).ballots == 1
    assert box.can_take_back  # still possible, until the next voter
    box.request_take_back()
    assert box.confirm_take_back() == 0


def test_taking_back_is_refused_once_the_next_voter_starts(handle: SessionHandle) -> None:
    box = BallotBox(handle, AREA)
    box.cast(Ballot({PRACTICES[0]: LEVELS[0]}))
    box.request_take_back()
    box.begin_next()  # even a request in waiting is forgotten
    assert not box.can_take_back and not box.take_back_requested
    with pytest.raises(KitError) as refused:
        box.request_take_back()
    assert refused.value.key == "input.no_ballot_to_withdraw"
    with pytest.raises(KitError):
        box.confirm_take_back()
    assert handle.snapshot.ballot_totals(AREA).ballots == 1


def test_taking_back_is_refused_twice(handle: SessionHandle) -> None:
    box = BallotBox(handle, AREA)
    first, second = Ballot({PRACTICES[0]: LEVELS[0]}), Ballot({PRACTICES[1]: LEVELS[1]})
    box.cast(first)
    box.cast(second)  # only the last can be taken back: the first is out of reach
    box.request_take_back()
    box.confirm_take_back()
    for step in (box.request_take_back, box.confirm_take_back):
        with pytest.raises(KitError) as refused:
            step()
        assert refused.value.key == "input.no_ballot_to_withdraw"
    assert handle.snapshot.ballot_totals(AREA) == recount([first])


def test_a_blank_ballot_ends_the_window_of_the_one_before(handle: SessionHandle) -> None:
    box = BallotBox(handle, AREA)
    box.cast(Ballot({PRACTICES[0]: LEVELS[0]}))
    assert box.cast(Ballot()).blank  # someone else came to the laptop
    assert not box.can_take_back


# blank and invalid ballots ------------------------------------------------------------------


@pytest.mark.parametrize("blank", [Ballot(), Ballot({}, {PRACTICES[0]: 0})],
                         ids=["empty", "zero-dots"])
def test_a_blank_ballot_changes_nothing(handle: SessionHandle, data_dir: Path,
                                        blank: Ballot) -> None:
    box = BallotBox(handle, AREA)
    box.cast(Ballot({PRACTICES[0]: LEVELS[0]}))
    before_totals, before_bytes = handle.snapshot.ballot_totals(AREA), files(data_dir)
    result = box.cast(blank)
    assert result.blank and result.total == 1 and result.in_round == 1
    assert handle.snapshot.ballot_totals(AREA) == before_totals
    assert files(data_dir) == before_bytes  # nothing was written at all


INVALID = [
    ("session.no_such_practice", Ballot({"no-such-practice": LEVELS[0]})),
    ("session.no_such_practice", Ballot({}, {"no-such-practice": 1})),
    ("session.no_such_practice", Ballot({"yt-verkostoituminen": LEVELS[0]})),  # another area
    ("session.no_such_practice", Ballot({}, {"yt-verkostoituminen": 1})),
    ("deck.no_such_level", Ballot({PRACTICES[0]: "super"})),
    ("deck.no_such_level", Ballot({PRACTICES[0]: 1})),  # type: ignore[dict-item]
    ("input.too_many_dots", Ballot({}, {PRACTICES[0]: DOTS + 1})),
    ("input.too_many_dots", Ballot({}, {PRACTICES[0]: 2, PRACTICES[1]: 2})),
    ("input.bad_number", Ballot({}, {PRACTICES[0]: -1})),
    ("input.bad_number", Ballot({}, {PRACTICES[0]: True})),
    ("input.bad_number", Ballot({}, {PRACTICES[0]: 1.0})),  # type: ignore[dict-item]
]


@pytest.mark.parametrize(("key", "ballot"), INVALID, ids=[f"{k}-{n}" for n, (k, _) in
                                                            enumerate(INVALID)])
def test_an_invalid_ballot_is_refused_and_writes_nothing(
        handle: SessionHandle, data_dir: Path, key: str, ballot: Ballot) -> None:
    box = BallotBox(handle, AREA)
    box.cast(Ballot({PRACTICES[0]: LEVELS[0]}))
    before_totals, before_bytes = handle.snapshot.ballot_totals(AREA), files(data_dir)
    with pytest.raises(KitError) as refused:
        box.cast(ballot)
    assert refused.value.key == key
    assert refused.value.message("fi") != key  # a sentence, in Finnish
    assert handle.snapshot.ballot_totals(AREA) == before_totals
    assert files(data_dir) == before_bytes
    assert box.can_take_back and box.in_round == 1  # a refused ballot changes nothing here


def test_what_is_not_a_ballot_at_all_is_one_line(handle: SessionHandle) -> None:
    for ratings, dots in (([PRACTICES[0]], {}), ({}, "3")):
        with pytest.raises(KitError) as refused:
            Ballot(ratings, dots)  # type: ignore[arg-type]
        assert refused.value.key == "input.bad_entry"
    with pytest.raises(KitError):
        BallotBox(handle, AREA).cast({PRACTICES[0]: LEVELS[0]})  # type: ignore[arg-type]


def test_an_area_outside_the_session_has_no_box(store: Store) -> None:
    handle = store.session(store.create_session(DECK, area_ids=["osallisuus", "arvot"]))
    with pytest.raises(KitError) as refused:
        BallotBox(handle, "yhteistyo")
    assert refused.value.key == "session.area_not_in_session"


# the order of ballots -----------------------------------------------------------------------


@contextmanager
def two_stores() -> Iterator[tuple[Path, Path, str]]:
    """Two data folders that are the same byte for byte: one session, an ordinary entry."""
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp) / "one", Path(tmp) / "two"
        with Store(first) as store:
            session = store.create_session(DECK)
            store.session(session).record_rating(1, PRACTICES[0], LEVELS[0], 2)
        shutil.copytree(first, second)
        assert files(first) == files(second)
        yield first, second, session


def cast_all(folder: Path, session: str, cast: list[Ballot], take_back: bool = False) -> None:
    with Store(folder) as store:
        box = BallotBox(store.session(session), AREA)
        for ballot in cast:
            box.begin_next()
            box.cast(ballot)
        if take_back:
            box.request_take_back()
            box.confirm_take_back()


@SETTINGS
@given(st.lists(ballots(), min_size=2, max_size=5).flatmap(
    lambda cast: st.tuples(st.just(cast), st.permutations(cast))))
def test_the_stored_bytes_are_the_same_whatever_the_order(
        orders: tuple[list[Ballot], list[Ballot]]) -> None:
    cast, shuffled = orders
    with two_stores() as (first, second, session):
        cast_all(first, session, cast)
        cast_all(second, session, shuffled)
        # The same rows and raw counter blobs, and then the same file: the database (the
        # WAL is checkpointed after each ballot and removed when the store closes).
        assert ballot_rows(first) == ballot_rows(second)
        assert files(first) == files(second)
        with Store(first) as store:
            assert store.session(session).snapshot.ballot_totals(AREA) == recount(cast)


@settings(max_examples=20, deadline=None)
@given(st.lists(ballots(), max_size=4), ballots(blank=False))
def test_a_ballot_taken_back_leaves_the_same_rows_as_one_never_cast(
        cast: list[Ballot], last: Ballot) -> None:
    with two_stores() as (first, second, session):
        cast_all(first, session, [*cast, last], take_back=True)
        cast_all(second, session, cast)
        assert ballot_rows(first) == ballot_rows(second)
        assert files(first) == files(second)  # not even the file says one came and went


# rounds and the rules of choosing -----------------------------------------------------------


def test_a_closed_box_takes_no_ballot_and_a_new_round_counts_afresh(
        handle: SessionHandle) -> None:
    box = BallotBox(handle, AREA)
    assert box.is_open
    assert box.cast(Ballot({PRACTICES[0]: LEVELS[0]})).in_round == 1
    box.close()
    assert not box.is_open and not box.can_take_back  # closing ends the window too
    with pytest.raises(KitError) as refused:
        box.cast(Ballot({PRACTICES[1]: LEVELS[1]}))
    assert refused.value.key == "ballot.box_closed"
    assert refused.value.message("fi") != "ballot.box_closed"
    box.open()
    assert box.in_round == 0 and box.total == 1
    result = box.cast(Ballot({PRACTICES[1]: LEVELS[1]}))
    assert (result.in_round, result.total) == (1, 2)
    other = BallotBox(handle, AREA)  # another round (or the phones) on the same area
    other.cast(Ballot({}, {PRACTICES[2]: 1}))
    assert (other.in_round, other.total, box.in_round, box.total) == (1, 3, 1, 3)


def test_choosing_follows_the_rules(store: Store) -> None:
    box = BallotBox(new_handle(store, dots=2), AREA)
    ballot = Ballot()
    assert box.dots_per_voter == 2 and box.dots_left(ballot) == 2
    ballot = box.rate(ballot, PRACTICES[2], LEVELS[1])
    ballot = box.rate(ballot, PRACTICES[0], LEVELS[0])
    assert list(ballot.ratings) == [PRACTICES[0], PRACTICES[2]]  # the deck's order, not ours
    ballot = box.rate(ballot, PRACTICES[0], None)
    assert dict(ballot.ratings) == {PRACTICES[2]: LEVELS[1]}
    ballot = box.add_dot(ballot, PRACTICES[3], -1)  # none to take: still none
    ballot = box.add_dot(box.add_dot(ballot, PRACTICES[3], 1), PRACTICES[1], 1)
    assert list(ballot.dots) == [PRACTICES[1], PRACTICES[3]] and box.dots_left(ballot) == 0
    with pytest.raises(KitError) as refused:
        box.add_dot(ballot, PRACTICES[0], 1)
    assert refused.value.key == "input.too_many_dots"
    ballot = box.add_dot(ballot, PRACTICES[3], -1)
    assert dict(ballot.dots) == {PRACTICES[1]: 1}  # a practice back at zero is not kept
    for bad in (lambda: box.rate(ballot, "yt-kunta", LEVELS[0]),
                lambda: box.rate(ballot, "yt-kunta", None),
                lambda: box.rate(ballot, PRACTICES[0], "super"),
                lambda: box.add_dot(ballot, "yt-kunta", 1)):
        with pytest.raises(KitError):
            bad()
    assert [level.id for level in box.levels] == LEVELS
    assert [p.id for p in box.practices] == PRACTICES


class Recording:
    """A session that says what the box handed on (the box needs no more than this)."""

    def __init__(self, handle: SessionHandle) -> None:
        self.handle = handle
        self.calls: list[tuple[str, list[str], list[str]]] = []

    @property
    def snapshot(self) -> Snapshot:
        return self.handle.snapshot

    def cast_ballot(self, area_id: str, ratings: Mapping[str, str],
                    dots: Mapping[str, int]) -> int:
        self.calls.append(("cast", list(ratings), list(dots)))
        return self.handle.cast_ballot(area_id, ratings, dots)

    def withdraw_ballot(self, area_id: str, ratings: Mapping[str, str],
                        dots: Mapping[str, int]) -> int:
        self.calls.append(("withdraw", list(ratings), list(dots)))
        return self.handle.withdraw_ballot(area_id, ratings, dots)


def test_a_ballot_is_handed_on_in_the_decks_order(handle: SessionHandle) -> None:
    session = Recording(handle)
    box = BallotBox(session, AREA)
    chosen = Ballot({PRACTICES[3]: LEVELS[0], PRACTICES[1]: LEVELS[2]},
                    {PRACTICES[2]: 1, PRACTICES[0]: 0, PRACTICES[1]: 2})
    box.cast(chosen)
    box.request_take_back()
    box.confirm_take_back()
    expected = ([PRACTICES[1], PRACTICES[3]], [PRACTICES[1], PRACTICES[2]])
    assert session.calls == [("cast", *expected), ("withdraw", *expected)]


def test_the_round_count_says_one_and_many() -> None:
    assert t("ballot.round_count", "fi", n=1) == "Tässä äänestyksessä on annettu 1 lipuke."
    assert t("ballot.round_count", "fi", n=3) == "Tässä äänestyksessä on annettu 3 lipuketta."
    assert t("ballot.round_count", "en", n=1) == "1 ballot has been cast in this round."
    assert t("ballot.round_count", "en", n=0) == "0 ballots have been cast in this round."


def test_the_store_refuses_a_blank_ballot_that_bypasses_the_box(tmp_path: Path) -> None:
    store = Store(tmp_path)
    handle = store.session(store.create_session(load_deck()))
    with pytest.raises(KitError) as error:
        handle.cast_ballot("osallisuus", {}, {"os-kuunteleminen": 0})
    assert error.value.key == "input.blank_ballot"
    assert handle.snapshot.ballot_totals("osallisuus").ballots == 0
