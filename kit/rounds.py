"""The store's phone rounds and voting slips: ballots from phones, kept apart until a round
closes, and the paper codes of a strict vote. A part of `kit.store.Store` (a mixin), in a
module of its own so each can be read in one sitting.

Both keep to the store's privacy rule: fixed-width counters made before the first ballot
(`kit.counters`), a WAL checkpoint after each write, and nothing that ties a ballot to a
phone, a code or a time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kit import lazy_module
from kit.counters import add as _add
from kit.counters import count as _count
from kit.counters import counter as _counter
from kit.errors import KitError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from kit.deck import Deck
    from kit.session import BallotTotals, SessionState

slipcodes = lazy_module("kit.room.slips")  # voting slips: codes, hashes and marks


class RoundsAndSlips:
    """Phone rounds and voting slips for `Store` (which provides what is declared here)."""

    _db: sqlite3.Connection

    if TYPE_CHECKING:
        def state(self, session_id: str) -> SessionState: ...

        def _transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

        def _checkpoint(self) -> None: ...

        def _ballots(self, session_id: str, deck: Deck) -> dict[str, BallotTotals]: ...

    # phone rounds ----------------------------------------------------------------------------

    def _round_ballots(self, session_id: str, area_id: str,
                       ballots: Sequence[tuple[Mapping[str, str], Mapping[str, int]]]) -> int:
        """Add many phones' ballots to the open round in one transaction (one sync to disk):
        forty phones sending at once cost the event loop one commit, not forty. All of them
        are checked first; one bad ballot refuses the batch and writes nothing."""
        state = self.state(session_id)
        for ratings, dots in ballots:
            state.check_ballot(area_id, ratings, dots)
        if self._round_count(session_id, area_id) is None:
            raise KitError("room.round_closed")
        rating_sums: dict[tuple[str, str], int] = {}
        dot_sums: dict[str, int] = {}
        for ratings, dots in ballots:
            for practice_id, level_id in ratings.items():
                rating_sums[(practice_id, level_id)] = rating_sums.get(
                    (practice_id, level_id), 0) + 1
            for practice_id, count in dots.items():
                if count:
                    dot_sums[practice_id] = dot_sums.get(practice_id, 0) + count
        with self._transaction() as db:
            _add(db, "round_boxes", {"session_id": session_id, "area_id": area_id},
                 len(ballots))
            for (practice_id, level_id), n in sorted(rating_sums.items()):
                _add(db, "round_ratings", {"session_id": session_id, "practice_id": practice_id,
                                           "level_id": level_id}, n)
            for practice_id, n in sorted(dot_sums.items()):
                _add(db, "round_dots", {"session_id": session_id, "practice_id": practice_id}, n)
        self._checkpoint()  # no trace of single ballots left in the WAL
        return self._round_count(session_id, area_id) or 0


    def _round_count(self, session_id: str, area_id: str) -> int | None:
        """How many ballots an open phone round of the area holds; None if none is open."""
        row = self._db.execute(
            "SELECT count FROM round_boxes WHERE session_id = ? AND area_id = ?",
            (session_id, area_id)).fetchone()
        return None if row is None else _count(row[0])

    def _open_rounds(self, session_id: str) -> list[str]:
        rows = self._db.execute("SELECT area_id FROM round_boxes WHERE session_id = ?",
                                (session_id,)).fetchall()
        return sorted(str(r[0]) for r in rows)

    def _round_code(self, session_id: str, area_id: str) -> str | None:
        row = self._db.execute(
            "SELECT code FROM round_boxes WHERE session_id = ? AND area_id = ?",
            (session_id, area_id)).fetchone()
        return None if row is None else str(row[0])

    def _open_round(self, session_id: str, area_id: str, code: str) -> int:
        """Make the round's counters, all zero (or keep those of a round left open, and its
        join code)."""
        area = self.state(session_id).area_in_session(area_id)
        scale = self.state(session_id).deck.scale
        zero = _counter(0)
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO round_boxes VALUES (?, ?, ?, ?)",
                       (session_id, area_id, zero, code))
            db.executemany("INSERT OR IGNORE INTO round_ratings VALUES (?, ?, ?, ?)",
                           [(session_id, p.id, lv.id, zero)
                            for p in area.practices for lv in scale])
            db.executemany("INSERT OR IGNORE INTO round_dots VALUES (?, ?, ?)",
                           [(session_id, p.id, zero) for p in area.practices])
        return self._round_count(session_id, area_id) or 0

    def _close_round(self, session_id: str, area_id: str) -> int:
        """Add the round's counters to the area's secret-ballot totals and delete them, in one
        transaction; how many ballots it held (0 if no round was open)."""
        state = self.state(session_id)
        area = state.deck.area(area_id)
        ids = [p.id for p in area.practices]
        marks = ",".join("?" * len(ids))
        with self._transaction() as db:
            row = db.execute("SELECT count FROM round_boxes WHERE session_id = ? AND area_id = ?",
                             (session_id, area_id)).fetchone()
            if row is None:
                return 0
            held = _count(row[0])
            _add(db, "ballot_boxes", {"session_id": session_id, "area_id": area_id}, held)
            for practice_id, level_id, blob in db.execute(
                    "SELECT practice_id, level_id, count FROM round_ratings"
                    f" WHERE session_id = ? AND practice_id IN ({marks})",
                    (session_id, *ids)).fetchall():
                if _count(blob):
                    _add(db, "ballot_ratings", {"session_id": session_id,
                                                "practice_id": practice_id,
                                                "level_id": level_id}, _count(blob))
            for practice_id, blob in db.execute(
                    "SELECT practice_id, count FROM round_dots"
                    f" WHERE session_id = ? AND practice_id IN ({marks})",
                    (session_id, *ids)).fetchall():
                if _count(blob):
                    _add(db, "ballot_dots", {"session_id": session_id,
                                             "practice_id": practice_id}, _count(blob))
            db.execute("DELETE FROM round_boxes WHERE session_id = ? AND area_id = ?",
                       (session_id, area_id))
            for table in ("round_ratings", "round_dots"):
                db.execute(f"DELETE FROM {table} WHERE session_id = ? AND practice_id IN"
                           f" ({marks})", (session_id, *ids))
        self._checkpoint()
        state.ballots = self._ballots(session_id, state.deck)
        return held

    # voting slips ----------------------------------------------------------------------------

    def _slip_salt(self, session_id: str) -> bytes | None:
        row = self._db.execute("SELECT salt FROM slip_sets WHERE session_id = ?",
                               (session_id,)).fetchone()
        return None if row is None else bytes(row[0])

    def _add_slips(self, session_id: str, count: int, area_id: str | None, host: str,
                   port: int) -> list[str]:
        """Make `count` new slip codes, good once in `area_id`'s rounds or (None) once in
        each area of the deck, and keep their hashes (never the codes) in one transaction;
        the codes, for printing. `host` and `port` are what their QR codes open."""
        state = self.state(session_id)
        if isinstance(count, bool) or not isinstance(count, int) or not (
                1 <= count <= slipcodes.MAX_SLIPS):
            raise KitError("slips.bad_count", value=count, limit=slipcodes.MAX_SLIPS)
        if area_id is not None:
            areas = [state.area_in_session(area_id).id]
        else:  # the deck's, not only the session's: an area added later takes them too
            areas = [area.id for area in state.deck.areas]
        host, port = slipcodes.check_host(host), slipcodes.check_port(port)
        with self._transaction() as db:
            row = db.execute("SELECT salt FROM slip_sets WHERE session_id = ?",
                             (session_id,)).fetchone()
            salt = slipcodes.new_salt() if row is None else bytes(row[0])
            db.execute("INSERT INTO slip_sets VALUES (?, ?, ?, ?) ON CONFLICT (session_id)"
                       " DO UPDATE SET host = excluded.host, port = excluded.port",
                       (session_id, salt, host, port))
            codes: list[str] = []
            hashes: set[bytes] = set()
            while len(codes) < count:
                code = slipcodes.new_slip_code()
                digest = slipcodes.slip_hash(salt, code)
                if digest in hashes or db.execute(
                        "SELECT 1 FROM slips WHERE session_id = ? AND hash = ? LIMIT 1",
                        (session_id, digest)).fetchone() is not None:
                    continue  # a code made before: never two slips with one code
                hashes.add(digest)
                codes.append(code)
            db.executemany("INSERT INTO slips VALUES (?, ?, ?, ?)",
                           [(session_id, digest, area, slipcodes.UNSPENT)
                            for digest in hashes for area in areas])
        return codes

    def _slip_rows(self, db: sqlite3.Connection, session_id: str,
                   code: str) -> tuple[bytes, dict[str, bytes]] | None:
        """The salt and the slip's spent marks by area; None for a code never printed."""
        row = db.execute("SELECT salt FROM slip_sets WHERE session_id = ?",
                         (session_id,)).fetchone()
        if row is None:
            return None
        salt = bytes(row[0])
        marks = {str(area): bytes(spent) for area, spent in db.execute(
            "SELECT area_id, spent FROM slips WHERE session_id = ? AND hash = ?",
            (session_id, slipcodes.slip_hash(salt, code)))}
        return (salt, marks) if marks else None

    def _slip_state(self, session_id: str, area_id: str, code: str) -> Any:
        """What a (normalised) slip code is worth in the area's rounds: a `SlipState`."""
        states = slipcodes.SlipState
        found = self._slip_rows(self._db, session_id, code)
        if found is None:
            return states.UNKNOWN
        mark = found[1].get(area_id)
        if mark is None:
            return states.OTHER_AREA
        return states.GOOD if mark == slipcodes.UNSPENT else states.SPENT

    def _slip_ballot(self, session_id: str, area_id: str, code: str, send: str,
                     ratings: Mapping[str, str], dots: Mapping[str, int]) -> bool:
        """One slip's ballot into the area's open round: the ballot added to the round's
        counters and the slip spent, in one transaction, committed before this returns.

        True if counted now; False if this slip's ballot for the area was counted before,
        sent by the same page (`send`): nothing counted now. Raises `room.wrong_slip`,
        `room.slip_other_area` or `room.slip_spent` (spent by another page), and what a
        ballot may be refused for, with nothing changed.
        """
        state = self.state(session_id)
        state.check_ballot(area_id, ratings, dots)
        slipcodes.check_send(send)
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM round_boxes WHERE session_id = ? AND area_id = ?",
                          (session_id, area_id)).fetchone() is None:
                raise KitError("room.round_closed")
            found = self._slip_rows(db, session_id, code)
            if found is None:
                raise KitError("room.wrong_slip")
            salt, marks = found
            if area_id not in marks:
                raise KitError("room.slip_other_area")
            mark = slipcodes.spent_mark(salt, code, area_id, send)
            if marks[area_id] == mark:
                return False  # the same page again (its reply was lost): nothing written
            if marks[area_id] != slipcodes.UNSPENT:
                raise KitError("room.slip_spent")
            _add(db, "round_boxes", {"session_id": session_id, "area_id": area_id}, 1)
            for practice_id, level_id in ratings.items():
                _add(db, "round_ratings", {"session_id": session_id, "practice_id": practice_id,
                                           "level_id": level_id}, 1)
            for practice_id, count in dots.items():
                if count:
                    _add(db, "round_dots", {"session_id": session_id,
                                            "practice_id": practice_id}, count)
            db.execute("UPDATE slips SET spent = ? WHERE session_id = ? AND hash = ?"
                       " AND area_id = ?",
                       (mark, session_id, slipcodes.slip_hash(salt, code), area_id))
        self._checkpoint()  # no trace of single ballots left in the WAL
        return True

    def _slip_counts(self, session_id: str, area_id: str) -> tuple[int, int]:
        """Slips printed for the area's rounds, and how many of them are not spent yet."""
        printed, unspent = self._db.execute(
            "SELECT count(*), coalesce(sum(spent = ?), 0) FROM slips"
            " WHERE session_id = ? AND area_id = ?",
            (slipcodes.UNSPENT, session_id, area_id)).fetchone()
        return int(printed), int(unspent)

    def _slip_address(self, session_id: str) -> tuple[str, int] | None:
        row = self._db.execute("SELECT host, port FROM slip_sets WHERE session_id = ?",
                               (session_id,)).fetchone()
        return None if row is None else (str(row[0]), int(row[1]))

    def _slip_round(self, session_id: str, area_id: str) -> bool:
        return self._db.execute(
            "SELECT 1 FROM slip_rounds WHERE session_id = ? AND area_id = ?",
            (session_id, area_id)).fetchone() is not None

    def _set_slip_round(self, session_id: str, area_id: str, on: bool) -> None:
        if self._slip_round(session_id, area_id) == on:
            return
        with self._transaction() as db:
            if on:
                db.execute("INSERT OR IGNORE INTO slip_rounds VALUES (?, ?)",
                           (session_id, area_id))
            else:
                db.execute("DELETE FROM slip_rounds WHERE session_id = ? AND area_id = ?",
                           (session_id, area_id))
