"""Secret ballots: the stored data cannot tell one ballot from another, nor their order."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from kit.errors import KitError
from kit.store import DB_NAME, Store

A = ({"os-yhteisollisuus": "hyvin", "os-kuunteleminen": "kehitettava"},
     {"os-kuunteleminen": 3})
B = ({"os-yhteisollisuus": "osittain", "os-rohkaiseminen": "en-tieda"},
     {"os-yhteisollisuus": 1, "os-rohkaiseminen": 2})
C = ({"os-kuunteleminen": "hyvin"}, {})


def _files(folder: Path) -> bytes:
    """Every byte the store keeps on disk (database, WAL, shared memory)."""
    return b"".join(
        (folder / name).read_bytes()
        for name in (DB_NAME, DB_NAME + "-wal")
        if (folder / name).exists()
    )


def _dump(folder: Path) -> list[str]:
    db = sqlite3.connect(folder / DB_NAME)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def test_ballot_order_leaves_no_trace_on_disk(tmp_path: Path, deck) -> None:  # type: ignore[no-untyped-def]
    first, second = tmp_path / "one", tmp_path / "two"
    with Store(first) as store:
        session = store.create_session(deck)
        store.session(session).record_rating(1, "ar-luottamus", "hyvin", 2)  # ordinary entries too
    shutil.copytree(first, second)  # the same starting point, byte for byte

    orders = {first: (A, B, C), second: (C, B, A)}
    for folder, ballots in orders.items():
        with Store(folder) as store:
            for ratings, dots in ballots:
                store.session(session).cast_ballot("osallisuus", ratings, dots)
    # Same rows, and the same bytes: the order of the ballots is nowhere.
    assert _dump(first) == _dump(second)
    assert _files(first) == _files(second)


def test_ballots_are_counters_not_records(store: Store, deck, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck)
    db = sqlite3.connect(data_dir / DB_NAME)
    rows_before = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                   for t in ("entries", "ballot_boxes", "ballot_ratings", "ballot_dots")]
    for ratings, dots in (A, B, C):
        assert store.session(session).cast_ballot("osallisuus", ratings, dots) >= 1
    rows_after = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("entries", "ballot_boxes", "ballot_ratings", "ballot_dots")]
    assert rows_after == rows_before  # no row was born of a vote, nothing entered the log
    assert db.execute("SELECT DISTINCT length(count) FROM ballot_ratings").fetchall() == [(4,)]
    totals = store.snapshot(session).ballot_totals("osallisuus")
    assert totals.ballots == 3
    assert totals.ratings == {("os-yhteisollisuus", "hyvin"): 1,
                              ("os-kuunteleminen", "kehitettava"): 1,
                              ("os-yhteisollisuus", "osittain"): 1,
                              ("os-rohkaiseminen", "en-tieda"): 1,
                              ("os-kuunteleminen", "hyvin"): 1}
    assert totals.dots == {"os-kuunteleminen": 3, "os-yhteisollisuus": 1,
                           "os-rohkaiseminen": 2}
    assert store.snapshot(session).tally("os-kuunteleminen").dots == 3


def test_the_last_ballot_can_be_withdrawn(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck)
    store.session(session).cast_ballot("osallisuus", *A)
    before = store.snapshot(session).ballot_totals("osallisuus")
    store.session(session).cast_ballot("osallisuus", *B)
    assert store.session(session).withdraw_ballot("osallisuus", *B) == 1
    assert store.snapshot(session).ballot_totals("osallisuus") == before
    with pytest.raises(KitError):  # B is not in the box any more
        store.session(session).withdraw_ballot("osallisuus", *B)


def test_invalid_ballots_are_refused(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck, dots=3)
    for ratings, dots in (
        ({"yt-verkostoituminen": "hyvin"}, {}),        # practice of another area
        ({"os-kuunteleminen": "super"}, {}),            # no such level
        ({}, {"os-kuunteleminen": 4}),                  # more dots than a person has
        ({}, {"os-kuunteleminen": -1}),
    ):
        with pytest.raises(KitError):
            store.session(session).cast_ballot("osallisuus", ratings, dots)
    assert store.snapshot(session).ballot_totals("osallisuus").ballots == 0
