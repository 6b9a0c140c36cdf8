"""The phone round's rules, without a network: tokens, retries, blanks, closing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.deck import load_deck
from kit.errors import KitError
from kit.room.round import CODE_ALPHABET, PhoneRound, Sent, new_code
from kit.store import SessionHandle, Store

DECK = load_deck()
AREA = DECK.areas[1]
P = [p.id for p in AREA.practices]
L = [lv.id for lv in DECK.scale]


@pytest.fixture
def handle(tmp_path: Path) -> SessionHandle:
    store = Store(tmp_path)
    return store.session(store.create_session(DECK))


def test_each_token_counts_once_and_a_retry_is_not_a_second_vote(handle: SessionHandle) -> None:
    room = PhoneRound(handle, AREA.id)
    a, b = room.issue_token(), room.issue_token()
    assert a != b
    assert room.cast(a, {P[0]: L[0]}, {P[1]: 2}) is Sent.COUNTED
    assert room.cast(a, {P[0]: L[2]}, {}) is Sent.ALREADY  # the reply was lost: sent again
    assert room.cast(b, {P[0]: L[1]}, {}) is Sent.COUNTED
    assert room.count == 2
    assert handle.snapshot.ballot_totals(AREA.id).ballots == 0  # not shown while open
    assert room.close() == 2
    totals = handle.snapshot.ballot_totals(AREA.id)
    assert totals.ratings == {(P[0], L[0]): 1, (P[0], L[1]): 1} and totals.dots == {P[1]: 2}


def test_unknown_tokens_blanks_and_bad_ballots_count_nothing(handle: SessionHandle) -> None:
    room = PhoneRound(handle, AREA.id)
    for token in ("made-up", None, 7, ["x"]):
        with pytest.raises(KitError):
            room.cast(token, {P[0]: L[0]}, {})
    token = room.issue_token()
    assert room.cast(token, {}, {}) is Sent.BLANK
    for ratings, dots in (([], {}), ({P[0]: "x"}, {}), ({}, {P[0]: 999}), ({"no": L[0]}, {}),
                          ({DECK.areas[0].practices[0].id: L[0]}, {})):
        with pytest.raises(KitError):
            room.cast(token, ratings, dots)
    assert room.count == 0
    assert room.cast(token, {P[0]: L[0]}, {}) is Sent.COUNTED  # still good after refusals


def test_a_closed_round_refuses_everything(handle: SessionHandle) -> None:
    room = PhoneRound(handle, AREA.id)
    token = room.issue_token()
    room.close()
    for call in (room.issue_token, lambda: room.cast(token, {P[0]: L[0]}, {})):
        with pytest.raises(KitError) as error:
            call()
        assert error.value.key == "room.round_closed"
    assert room.close() == 0 and handle.round_count(AREA.id) is None


def test_join_codes_are_short_unambiguous_and_typed_loosely(handle: SessionHandle) -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) > 190 and all(len(c) == 4 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set(CODE_ALPHABET) & set("0O1IL2Z5S8B")
    room = PhoneRound(handle, AREA.id, code="K7Q4")
    assert room.matches("k7q4") and room.matches(" K7 Q4 ") and not room.matches("K7Q3")


def test_a_round_reopened_after_a_restart_keeps_its_code(handle: SessionHandle) -> None:
    first = PhoneRound(handle, AREA.id)
    first.cast(first.issue_token(), {P[0]: L[0]}, {})
    again = PhoneRound(handle, AREA.id)  # the laptop restarted: a new object, the same round
    assert again.code == first.code and again.count == 1


def test_present_people_is_a_count(handle: SessionHandle) -> None:
    room = PhoneRound(handle, AREA.id)
    room.set_present(20)
    assert room.present == 20
    for bad in (-1, True, "20", 10**6):
        with pytest.raises(KitError):
            room.set_present(bad)  # type: ignore[arg-type]
