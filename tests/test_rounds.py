"""Phone rounds in the store: ballots held apart until the round closes, then added at once.

A round's ballots are committed the moment they arrive (a phone told "sent" must find its
ballot after a power cut), but the room sees them only when the facilitator closes the round.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from kit.dbfile import DB_NAME, MIGRATIONS, SCHEMA_VERSION
from kit.deck import load_deck
from kit.errors import KitError
from kit.store import SessionHandle, Store

DECK = load_deck()
AREA = DECK.areas[0]
P = [p.id for p in AREA.practices]
L = [lv.id for lv in DECK.scale]


def _handle(folder: Path) -> SessionHandle:
    store = Store(folder)
    return store.session(store.create_session(DECK))


def test_round_ballots_count_only_once_the_round_closes(tmp_path: Path) -> None:
    handle = _handle(tmp_path)
    assert handle.round_count(AREA.id) is None and handle.open_rounds() == []
    assert handle.open_round(AREA.id, "K7Q4") == 0
    for n in range(3):
        assert handle.cast_round_ballot(AREA.id, {P[0]: L[n]}, {P[1]: 2}) == n + 1
    assert handle.snapshot.ballot_totals(AREA.id).ballots == 0  # nothing shows yet
    assert handle.open_rounds() == [AREA.id]
    assert handle.close_round(AREA.id) == 3
    totals = handle.snapshot.ballot_totals(AREA.id)
    assert totals.ballots == 3 and totals.dots == {P[1]: 6}
    assert totals.ratings == {(P[0], L[0]): 1, (P[0], L[1]): 1, (P[0], L[2]): 1}
    assert handle.round_count(AREA.id) is None and handle.close_round(AREA.id) == 0


def test_a_round_adds_to_the_laptop_ballots_already_there(tmp_path: Path) -> None:
    handle = _handle(tmp_path)
    handle.cast_ballot(AREA.id, {P[0]: L[0]}, {})
    handle.open_round(AREA.id, "K7Q4")
    handle.cast_round_ballot(AREA.id, {P[0]: L[0]}, {})
    handle.close_round(AREA.id)
    assert handle.snapshot.ballot_totals(AREA.id).ratings == {(P[0], L[0]): 2}
    assert handle.snapshot.ballot_totals(AREA.id).ballots == 2


def test_no_ballot_without_an_open_round_and_bad_ballots_change_nothing(tmp_path: Path) -> None:
    handle = _handle(tmp_path)
    with pytest.raises(KitError) as error:
        handle.cast_round_ballot(AREA.id, {P[0]: L[0]}, {})
    assert error.value.key == "room.round_closed"
    handle.open_round(AREA.id, "K7Q4")
    for ratings, dots in (({"no-such": L[0]}, {}), ({P[0]: "no-such"}, {}),
                          ({}, {P[0]: 99}), ({}, {}), ({DECK.areas[1].practices[0].id: L[0]}, {})):
        with pytest.raises(KitError):
            handle.cast_round_ballot(AREA.id, ratings, dots)
    assert handle.round_count(AREA.id) == 0


def test_a_round_left_open_survives_a_restart(tmp_path: Path) -> None:
    handle = _handle(tmp_path)
    handle.open_round(AREA.id, "K7Q4")
    handle.cast_round_ballot(AREA.id, {P[0]: L[1]}, {})
    handle.store.close()
    again = Store(tmp_path).session(handle.id)
    assert again.open_rounds() == [AREA.id] and again.round_count(AREA.id) == 1
    assert again.open_round(AREA.id, "XXXX") == 1  # opening it again keeps what it holds
    assert again.round_code(AREA.id) == "K7Q4"  # and its join code: phones carry on
    assert again.close_round(AREA.id) == 1
    assert again.snapshot.ballot_totals(AREA.id).ratings == {(P[0], L[1]): 1}


def test_stored_bytes_do_not_depend_on_the_order_ballots_came_in(tmp_path: Path) -> None:
    ballots = [({P[0]: L[0]}, {P[1]: 1}), ({P[0]: L[2], P[2]: L[1]}, {}), ({P[3]: L[3]}, {P[0]: 3})]
    base = tmp_path / "base"
    handle = _handle(base)
    handle.open_round(AREA.id, "K7Q4")
    session = handle.id
    handle.store.close()
    files = []
    for name, order in (("a", ballots), ("b", ballots[::-1])):
        folder = tmp_path / name
        shutil.copytree(base, folder)
        store = Store(folder)
        for ratings, dots in order:
            store.session(session).cast_round_ballot(AREA.id, ratings, dots)
        store.close()
        files.append((folder / DB_NAME).read_bytes())
    assert files[0] == files[1]


def test_a_version_1_database_is_migrated_and_keeps_its_sessions(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / DB_NAME)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = Store(tmp_path)  # migrates to the current version
    handle = store.session(store.create_session(DECK))
    handle.open_round(AREA.id, "K7Q4")
    handle.cast_round_ballot(AREA.id, {P[0]: L[0]}, {})
    assert handle.close_round(AREA.id) == 1
    version = store._db.execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION == len(MIGRATIONS)
