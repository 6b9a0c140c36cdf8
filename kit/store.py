"""The session store: one SQLite file in the data folder, written so that nothing shown is lost.

`Store.session(id)` gives the handle on one session that the app, the CLI and the demo record
through: each `record_*` call validates, appends one entry and commits before it returns, then
folds the entry into the session's running tallies. How the file is opened (WAL, or a rollback
journal with the same durability where the folder refuses WAL) is `kit.dbfile`'s business.
Secret ballots never enter the log: they are added to fixed-width counters that were created,
all zero, with the session, so neither the rows nor the bytes on disk say which ballot came
first.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit import lazy_module
from kit.counters import add as _add
from kit.counters import count as _count
from kit.counters import counter as _counter
from kit.dbfile import DB_NAME as DB_NAME
from kit.dbfile import ROLLBACK as ROLLBACK
from kit.dbfile import SCHEMA_VERSION as SCHEMA_VERSION
from kit.dbfile import TEST_JOURNAL_HOOK as TEST_JOURNAL_HOOK
from kit.dbfile import WAL, DatabaseFile
from kit.deck import Deck, parse_deck
from kit.errors import KitError
from kit.rounds import RoundsAndSlips

if TYPE_CHECKING:
    from kit.session import (
        BallotTotals,
        Entry,
        Group,
        SessionMeta,
        SessionState,
        Snapshot,
        TimerState,
    )

# Opening the store and listing its sessions (the start screen) needs none of it.
model = lazy_module("kit.session")

def _write_error(exc: sqlite3.Error | OSError, data_dir: Path) -> KitError:
    """A failed write in words the facilitator can act on: a full disk, a read-only folder."""
    name = str(getattr(exc, "sqlite_errorname", ""))
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    if name == "SQLITE_FULL" or code in (errno.ENOSPC, errno.EDQUOT) or "is full" in text:
        key = "store.disk_full"
    elif name.startswith("SQLITE_READONLY") or code == errno.EROFS or "readonly" in text:
        key = "store.read_only"
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        key = "store.busy"
    else:
        key = "store.write_failed"
    return KitError(key, path=str(data_dir), detail=str(exc))


# Most recently made, imported or worked on first: the later of the session's arrival in this
# store and its newest entry (the entries' index finds that one without reading the others).
_RECENT = ("MAX(s.created, COALESCE((SELECT e.at FROM entries e WHERE e.session_id = s.id"
           " ORDER BY e.id DESC LIMIT 1), '')) DESC, s.rowid DESC")


# What the session list's "entries" leaves out: moving between screens and the timer are not
# something the room said.
NOT_COUNTED = frozenset({"step", "timer"})


def now_iso() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class SessionInfo:
    """A line of the saved-sessions list."""

    id: str
    created: str
    date: str
    association: str
    title: str
    lang: str
    entries: int
    screen: str
    area_number: int
    area_count: int
    place: str = ""  # parallel rooms often differ only by the place


def default_data_dir() -> Path:
    """`TYOPAJA_DATA_DIR`, else the platform's user data folder."""
    env = os.environ.get("TYOPAJA_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("tyopaja", appauthor=False))


class Store(RoundsAndSlips):
    """All sessions in one data folder. Not thread-safe: one Store per thread."""

    def __init__(self, data_dir: str | Path | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        opened = DatabaseFile(self.data_dir)
        self.path = opened.path
        self.moved_aside = opened.moved_aside  # where a damaged database was moved, or None
        self.read_only = opened.read_only  # sessions can be read and exported, not written
        self.journal = opened.journal  # WAL, or ROLLBACK where the folder refuses WAL
        self.fallback_journal = opened.fallback_journal  # ROLLBACK for that reason: say so
        self._db = opened.db
        self._states: dict[str, SessionState] = {}
        self._handles: dict[str, SessionHandle] = {}
        self._data_version = self._version()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One durable transaction: it has reached the disk when the block ends."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except (sqlite3.Error, OSError) as exc:
            raise _write_error(exc, self.data_dir) from None
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as exc:
            with suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error | OSError):
                raise _write_error(exc, self.data_dir) from None
            raise

    # sessions --------------------------------------------------------------------------------

    def create_session(self, deck: Deck, **settings: Any) -> str:
        """A new session with the deck's defaults for what `settings` leaves out."""
        session_id = self._new_id()
        meta = model.new_meta(deck, session_id, now_iso(), **settings)
        with self._transaction() as db:
            self._insert_session(db, meta, deck)
        return session_id

    def _new_id(self) -> str:
        while True:
            candidate = _dt.date.today().strftime("%Y%m%d") + "-" + os.urandom(3).hex()
            row = self._db.execute("SELECT 1 FROM sessions WHERE id = ?", (candidate,))
            if row.fetchone() is None:
                return candidate

    def _insert_session(self, db: sqlite3.Connection, meta: SessionMeta, deck: Deck) -> None:
        # The column is when the session came into this store (made or imported), for
        # `latest` and the list; the session's own creation time stays in its meta.
        db.execute(
            "INSERT INTO sessions (id, created, meta, deck) VALUES (?, ?, ?, ?)",
            (meta.id, now_iso(), _json(meta.to_dict()), _json(deck.to_dict())),
        )
        # Every ballot counter exists, zero, before the first ballot: no row is born of a vote.
        zero = _counter(0)
        db.executemany(
            "INSERT INTO ballot_boxes VALUES (?, ?, ?)",
            [(meta.id, area.id, zero) for area in deck.areas],
        )
        db.executemany(
            "INSERT INTO ballot_ratings VALUES (?, ?, ?, ?)",
            [(meta.id, p.id, lv.id, zero) for p in deck.practices() for lv in deck.scale],
        )
        db.executemany(
            "INSERT INTO ballot_dots VALUES (?, ?, ?)",
            [(meta.id, p.id, zero) for p in deck.practices()],
        )

    def resolve(self, session: str) -> str:
        """A session id from an id or `latest`."""
        if session == "latest":
            row = self._db.execute(
                f"SELECT id FROM sessions s ORDER BY {_RECENT} LIMIT 1").fetchone()
            if row is None:
                raise KitError("store.no_sessions")
            return str(row[0])
        row = self._db.execute("SELECT id FROM sessions WHERE id = ?", (session,)).fetchone()
        if row is None:
            raise KitError("store.no_such_session", id=session)
        return str(row[0])

    def sessions(self) -> list[SessionInfo]:
        rows = self._db.execute(
            f"SELECT id, created, meta, entry_count, step FROM sessions s ORDER BY {_RECENT}"
        ).fetchall()
        out = []
        for session_id, created, meta_json, count, step_json in rows:
            meta = json.loads(meta_json)
            step = json.loads(step_json) if step_json else {"screen": "setup"}
            area = step.get("area")
            number = meta["areas"].index(area) + 1 if area in meta["areas"] else 0
            out.append(
                SessionInfo(
                    session_id, created, meta["date"], meta["association"], meta["title"],
                    meta["lang"], count, step["screen"], number, len(meta["areas"]),
                    meta.get("place", ""),
                )
            )
        return out

    def delete_session(self, session_id: str) -> None:
        """Gone for good: secure_delete zeroes the freed pages, the WAL is emptied."""
        with self._transaction() as db:
            for table in ("entries", "ballot_boxes", "ballot_ratings", "ballot_dots",
                          "round_boxes", "round_ratings", "round_dots"):
                db.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        self._states.pop(session_id, None)
        self._handles.pop(session_id, None)
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Empty the WAL, so that no trace of single ballots stays in it.

        With the rollback journal there is nothing to do: each commit truncated the journal
        to zero bytes (see `_open_rollback`).
        """
        if self.journal != WAL or self.read_only:
            return
        # If another reader holds the WAL, the next checkpoint will do it.
        with suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def state(self, session_id: str) -> SessionState:
        """The session's running tallies, read from the log once and kept up to date."""
        state = self._states.get(session_id)
        if state is None:
            state = self._load(session_id)
            self._states[session_id] = state
        return state

    def _load(self, session_id: str) -> SessionState:
        row = self._db.execute(
            "SELECT meta, deck FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if row is None:
            raise KitError("store.no_such_session", id=session_id)
        deck = parse_deck(json.loads(row[1]), f"session {session_id}")
        state = model.SessionState(model.SessionMeta.from_dict(json.loads(row[0])), deck)
        rows = self._db.execute(
            "SELECT id, kind, data FROM entries WHERE session_id = ? ORDER BY id", (session_id,))
        apply = state.apply_row
        for entry_id, kind, data in rows:  # the hot loop of opening a long session
            apply(entry_id, kind, _loads(data))
        state.ballots = self._ballots(session_id, deck)
        return state

    def _entries(self, session_id: str, after: int = 0) -> Iterator[Entry]:
        cursor = self._db.execute(
            "SELECT id, kind, at, data FROM entries WHERE session_id = ? AND id > ? ORDER BY id",
            (session_id, after),
        )
        for entry_id, kind, at, data in cursor:
            yield model.Entry(entry_id, kind, at, json.loads(data))

    def entries(self, session_id: str) -> list[Entry]:
        return list(self._entries(session_id))

    def _ballots(self, session_id: str, deck: Deck) -> dict[str, BallotTotals]:
        boxes = dict(
            self._db.execute(
                "SELECT area_id, count FROM ballot_boxes WHERE session_id = ?", (session_id,)
            ).fetchall()
        )
        ratings = {
            (p, lv): _count(c)
            for p, lv, c in self._db.execute(
                "SELECT practice_id, level_id, count FROM ballot_ratings WHERE session_id = ?",
                (session_id,),
            )
        }
        dots = {
            p: _count(c)
            for p, c in self._db.execute(
                "SELECT practice_id, count FROM ballot_dots WHERE session_id = ?", (session_id,)
            )
        }
        out = {}
        for area in deck.areas:
            ids = {p.id for p in area.practices}
            out[area.id] = model.BallotTotals(
                _count(boxes.get(area.id, _counter(0))),
                {k: v for k, v in ratings.items() if k[0] in ids and v},
                {k: v for k, v in dots.items() if k in ids and v},
            )
        return out

    def _version(self) -> int:
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def changed_elsewhere(self) -> bool:
        """Whether another connection (another app on this folder) committed since last asked.

        `PRAGMA data_version` reads a counter in shared memory (WAL) or the change counter in
        the database header (rollback journal, one small read): cheap enough to ask twice a
        second either way, so a second laptop window's entries show up without a key press.
        """
        try:
            version = self._version()
        except sqlite3.Error:
            return False
        changed, self._data_version = version != self._data_version, version
        return changed

    def refresh(self, session_id: str) -> Snapshot:
        """Pick up what another instance wrote since we last looked."""
        state = self.state(session_id)
        row = self._db.execute("SELECT meta FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise KitError("store.no_such_session", id=session_id)
        state.meta = model.SessionMeta.from_dict(json.loads(row[0]))
        for entry in self._entries(session_id, state.last_id):
            state.apply(entry)
        state.ballots = self._ballots(session_id, state.deck)
        return state.snapshot()

    def snapshot(self, session_id: str) -> Snapshot:
        return self.state(session_id).snapshot()

    def session(self, session_id: str) -> SessionHandle:
        """A handle on one session: what screens hold instead of threading its id around."""
        handle = self._handles.get(session_id)
        if handle is None:
            self.state(session_id)  # an unknown id fails here, with one line
            handle = self._handles[session_id] = SessionHandle(self, session_id)
        return handle

    @staticmethod
    def _regroup(
        state: SessionState, groups: Iterable[tuple[int | None, str]]
    ) -> tuple[Group, ...]:
        """Groups after renames, additions and removals; a group with entries stays."""
        next_id = max((g.id for g in state.meta.groups), default=0) + 1
        out = []
        for group_id, name in groups:
            if group_id is None:
                group_id, next_id = next_id, next_id + 1
            out.append(model.Group(group_id, name))
        kept = {g.id for g in out}
        for group in state.meta.groups:
            if group.id not in kept and state.group_has_entries(group.id):
                raise KitError("input.group_has_entries", name=group.name)
        return tuple(out)

    # the log ---------------------------------------------------------------------------------

    def _append(self, session_id: str, kind: str, data: Mapping[str, Any]) -> Entry:
        """Validate, write and commit one entry, then fold it into the tallies."""
        state = self.state(session_id)
        payload = _json(state.check(kind, data))
        at = now_iso()
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO entries (session_id, kind, at, data) VALUES (?, ?, ?, ?)",
                (session_id, kind, at, payload),
            )
            entry_id = int(cursor.lastrowid or 0)
            db.execute(
                "UPDATE sessions SET entry_count = entry_count + ?,"
                " step = CASE WHEN ? THEN ? ELSE step END WHERE id = ?",
                (kind not in NOT_COUNTED, kind == "step", payload, session_id),
            )
        # Another instance may have written in between: fold its entries first, in order.
        for missed in self._entries(session_id, state.last_id):
            if missed.id >= entry_id:
                break
            state.apply(missed)
        entry = model.Entry(entry_id, kind, at, json.loads(payload))
        state.apply(entry)
        return entry

    # secret ballots --------------------------------------------------------------------------

    def _ballot(self, session_id: str, area_id: str, ratings: Mapping[str, str],
                dots: Mapping[str, int], sign: int, tables: str = "ballot") -> int:
        """Add one ballot (or take it back, sign -1) to the area's counters: its secret-ballot
        totals (`tables` "ballot"), or an open phone round's ("round")."""
        state = self.state(session_id)
        state.check_ballot(area_id, ratings, dots)
        if tables == "round" and self._round_count(session_id, area_id) is None:
            raise KitError("room.round_closed")
        totals = state.ballots.get(area_id) or model.BallotTotals()
        if sign < 0:
            enough = totals.ballots > 0 and all(
                totals.ratings.get((p, lv), 0) >= 1 for p, lv in ratings.items()
            ) and all(totals.dots.get(p, 0) >= n for p, n in dots.items())
            if not enough:
                raise KitError("input.no_ballot_to_withdraw")
        with self._transaction() as db:
            _add(db, f"{tables}_boxes", {"session_id": session_id, "area_id": area_id}, sign)
            for practice_id, level_id in ratings.items():
                key = {"session_id": session_id, "practice_id": practice_id, "level_id": level_id}
                _add(db, f"{tables}_ratings", key, sign)
            for practice_id, count in dots.items():
                if count:
                    key = {"session_id": session_id, "practice_id": practice_id}
                    _add(db, f"{tables}_dots", key, sign * count)
        self._checkpoint()  # no trace of single ballots left in the WAL
        if tables == "round":
            return self._round_count(session_id, area_id) or 0
        state.ballots = self._ballots(session_id, state.deck)
        return state.ballots[area_id].ballots

    # import ----------------------------------------------------------------------------------

    def import_session(self, meta: SessionMeta, deck: Deck, entries: Iterable[Entry],
                       ballots: Mapping[str, BallotTotals],
                       origin: tuple[str, str] | None = None) -> str:
        """Write a whole session in one transaction under a new id: all of it or nothing.

        Entry references (undo and edit targets) are renumbered to the new entry ids.
        `origin` (the exported session's id, the file's fingerprint) is kept with it, so that
        `imported_as` can tell that the same file comes again.
        """
        session_id = self._new_id()
        meta = model.validate_meta(deck, replace(meta, id=session_id))
        state = model.SessionState(meta, deck)
        with self._transaction() as db:
            self._insert_session(db, meta, deck)
            renumber: dict[int, int] = {}
            count = 0
            step = None
            for entry in entries:
                data = dict(entry.data)
                if "target" in data:
                    if data["target"] not in renumber:
                        raise KitError("import.bad_reference", where="entries",
                                       value=data["target"])
                    data["target"] = renumber[data["target"]]
                payload = _json(state.check(entry.kind, data))
                cursor = db.execute(
                    "INSERT INTO entries (session_id, kind, at, data) VALUES (?, ?, ?, ?)",
                    (session_id, entry.kind, entry.at, payload),
                )
                new_id = int(cursor.lastrowid or 0)
                renumber[entry.id] = new_id
                state.apply(model.Entry(new_id, entry.kind, entry.at, json.loads(payload)))
                count += entry.kind not in NOT_COUNTED
                if entry.kind == "step":
                    step = payload
            db.execute("UPDATE sessions SET entry_count = ?, step = ? WHERE id = ?",
                       (count, step, session_id))
            if origin is not None:
                db.execute("INSERT INTO imports (session_id, source_id, digest) VALUES (?, ?, ?)",
                           (session_id, *origin))
            for area_id, totals in ballots.items():
                _add(db, "ballot_boxes", {"session_id": session_id, "area_id": area_id},
                     totals.ballots)
                for (practice_id, level_id), n in totals.ratings.items():
                    key = {"session_id": session_id, "practice_id": practice_id,
                           "level_id": level_id}
                    _add(db, "ballot_ratings", key, n)
                for practice_id, n in totals.dots.items():
                    _add(db, "ballot_dots", {"session_id": session_id, "practice_id": practice_id},
                         n)
        state.ballots = self._ballots(session_id, deck)
        self._states[session_id] = state
        return session_id

    def imported_as(self, digest: str) -> str | None:
        """The session a file with this fingerprint was imported as (the latest), if any."""
        row = self._db.execute(
            "SELECT imports.session_id FROM imports JOIN sessions ON sessions.id ="
            " imports.session_id WHERE digest = ? ORDER BY sessions.rowid DESC LIMIT 1",
            (digest,)).fetchone()
        return None if row is None else str(row[0])


class SessionHandle:
    """One open session: its `record_*` methods and its current snapshot.

    The snapshot is made once per change (an entry, a ballot, new settings, another window's
    entries) and shared by everything that reads it until the next change.
    """

    def __init__(self, store: Store, session_id: str) -> None:
        self.store = store
        self.id = session_id
        self._snapshot: Snapshot | None = None
        # What the snapshot was made from; the objects themselves, not their ids, so that a
        # new object can never pass for an old one that was freed.
        self._seen: tuple[Any, ...] = ()

    @property
    def snapshot(self) -> Snapshot:
        state = self.store.state(self.id)
        seen = (state, state.count, state.last_id, state.meta, state.ballots)
        if (self._snapshot is None or len(seen) != len(self._seen)
                or any(a is not b for a, b in zip(seen, self._seen, strict=True))):
            self._snapshot, self._seen = state.snapshot(), seen
        return self._snapshot

    def record(self, kind: str, data: Mapping[str, Any]) -> Entry:
        """Validate, write, commit and fold one entry of any kind in `kit.entries.KINDS`
        (the `record_*` methods below name the fields of the usual ones)."""
        return self.store._append(self.id, kind, data)

    def record_rating(self, group_id: int, practice_id: str, level_id: str,
                      delta: int = 1) -> Entry:
        """A show of hands: `delta` people of a group rated a practice at a level (or -n)."""
        return self.record("rating", {
            "group": group_id, "practice": practice_id, "level": level_id, "delta": delta,
        })

    def record_dots(self, group_id: int, practice_id: str,
                    delta: int = 1) -> Entry:
        return self.record("dots", {
            "group": group_id, "practice": practice_id, "delta": delta,
        })

    def add_comment(self, text: str, tag: str, *, practice_id: str | None = None,
                    area_id: str | None = None, group_id: int | None = None) -> Entry:
        """A comment on a practice, an area, or (with neither) the whole workshop."""
        return self.record("comment", {
            "text": text, "tag": tag, "practice": practice_id, "area": area_id,
            "group": group_id,
        })

    def edit_comment(self, comment_id: int, text: str, tag: str, *,
                     practice_id: str | None = None, area_id: str | None = None,
                     group_id: int | None = None) -> Entry:
        return self.record("comment_edit", {
            "target": comment_id, "text": text, "tag": tag, "practice": practice_id,
            "area": area_id, "group": group_id,
        })

    def remove_comment(self, comment_id: int) -> Entry:
        return self.record("comment_remove", {"target": comment_id})

    def add_action(self, what: str, who: str = "", due: str = "",
                   practice_id: str | None = None) -> Entry:
        """An action item agreed in the room: what, who, by when, for which practice."""
        return self.record("action", {
            "what": what, "who": who, "due": due, "practice": practice_id,
        })

    def edit_action(self, action_id: int, what: str, who: str = "",
                    due: str = "", practice_id: str | None = None) -> Entry:
        return self.record("action_edit", {
            "target": action_id, "what": what, "who": who, "due": due, "practice": practice_id,
        })

    def remove_action(self, action_id: int) -> Entry:
        return self.record("action_remove", {"target": action_id})

    def undo(self) -> Entry | None:
        """Take back the last entry that can be taken back; None when there is none."""
        target = self.store.state(self.id).last_undoable()
        if target is None:
            return None
        return self.record("undo", {"target": target.id})

    def record_step(self, screen: str, area_id: str | None = None,
                    group_id: int | None = None, practice_id: str | None = None) -> Entry:
        """Where the facilitator is (which group the area screen takes: 0 for all; which
        practice it had selected), so a restart returns there."""
        data: dict[str, Any] = {"screen": screen, "area": area_id}
        if group_id is not None:
            data["group"] = group_id
        if practice_id is not None:
            data["practice"] = practice_id
        return self.record("step", data)

    def record_timer(self, timer: TimerState) -> Entry:
        return self.record("timer", timer.to_dict())

    def cast_ballot(self, area_id: str, ratings: Mapping[str, str],
                    dots: Mapping[str, int]) -> int:
        """Add one person's secret ballot to the area's totals; returns the ballot count."""
        return self.store._ballot(self.id, area_id, ratings, dots, +1)

    def withdraw_ballot(self, area_id: str, ratings: Mapping[str, str],
                        dots: Mapping[str, int]) -> int:
        """Take the last ballot back out of the totals (the app still holds it in memory)."""
        return self.store._ballot(self.id, area_id, ratings, dots, -1)

    # phone rounds: ballots held apart until the round closes

    def open_round(self, area_id: str, code: str) -> int:
        """Open a phone round for the area with its join code (or find the one left open,
        which keeps its own code); ballots in it."""
        return self.store._open_round(self.id, area_id, code)

    def round_code(self, area_id: str) -> str | None:
        """The join code of the area's open phone round; None when no round is open."""
        return self.store._round_code(self.id, area_id)

    def round_count(self, area_id: str) -> int | None:
        """Ballots in the area's open phone round; None when no round is open."""
        return self.store._round_count(self.id, area_id)

    def open_rounds(self) -> list[str]:
        """Areas with a phone round left open (after a crash, say)."""
        return self.store._open_rounds(self.id)

    def cast_round_ballot(self, area_id: str, ratings: Mapping[str, str],
                          dots: Mapping[str, int]) -> int:
        """One phone's ballot into the open round, committed before this returns."""
        return self.store._ballot(self.id, area_id, ratings, dots, +1, "round")

    def cast_round_ballots(
            self, area_id: str,
            ballots: Sequence[tuple[Mapping[str, str], Mapping[str, int]]]) -> int:
        """Many phones' ballots into the open round, in one commit, before this returns."""
        return self.store._round_ballots(self.id, area_id, ballots)

    def close_round(self, area_id: str) -> int:
        """Add the round's ballots to the area's secret-ballot totals; how many it held."""
        return self.store._close_round(self.id, area_id)

    # voting slips: paper codes for a strict vote (kit.room.slips)

    def make_slips(self, count: int, area_id: str | None, host: str, port: int) -> list[str]:
        """`count` new slip codes (their hashes kept, never the codes), good once in the
        area's phone rounds, or once in each area's with `area_id` None; for printing."""
        return self.store._add_slips(self.id, count, area_id, host, port)

    def slip_state(self, area_id: str, code: str) -> Any:
        """What a normalised slip code (`kit.room.slips.normalise_slip`) is worth in the
        area's rounds: a `kit.room.slips.SlipState`."""
        return self.store._slip_state(self.id, area_id, code)

    def cast_slip_ballot(self, area_id: str, code: str, send: str,
                         ratings: Mapping[str, str], dots: Mapping[str, int]) -> bool:
        """A slip's ballot into the open round, the slip spent in the same transaction; True
        if counted now, False if the same page (`send`) had it counted before."""
        return self.store._slip_ballot(self.id, area_id, code, send, ratings, dots)

    def slip_counts(self, area_id: str) -> tuple[int, int]:
        """Slips printed for the area, and how many of them are not spent yet."""
        return self.store._slip_counts(self.id, area_id)

    def slip_address(self) -> tuple[str, int] | None:
        """The address and port the last printed slips' QR codes open; None before any."""
        return self.store._slip_address(self.id)

    def slip_round(self, area_id: str) -> bool:
        """Whether the area's phone round takes slips only (kept for a round left open)."""
        return self.store._slip_round(self.id, area_id)

    def set_slip_round(self, area_id: str, on: bool) -> None:
        self.store._set_slip_round(self.id, area_id, on)

    def update(self, **changes: Any) -> SessionMeta:
        """Change set-up fields (association, title, date, place, facilitator, lang, area_ids,
        dots, minutes, groups as a list of (id or None, name))."""
        state = self.store.state(self.id)
        meta = state.meta
        if "groups" in changes:
            changes["groups"] = self.store._regroup(state, changes["groups"])
        unknown = set(changes) - set(model.SessionMeta.__dataclass_fields__) | (
            set(changes) & {"id", "created"}
        )
        if unknown:
            raise KitError("input.unknown_field", field=", ".join(sorted(unknown)))
        new = model.validate_meta(state.deck, replace(meta, **changes))
        with self.store._transaction() as db:
            db.execute("UPDATE sessions SET meta = ? WHERE id = ?",
                       (_json(new.to_dict()), self.id))
        state.meta = new
        return new

    def last_undoable(self) -> Entry | None:
        return self.store.state(self.id).last_undoable()

    def refresh(self) -> Snapshot:
        self.store.refresh(self.id)
        return self.snapshot

    def entries(self) -> list[Entry]:
        return self.store.entries(self.id)


_SCAN = json.JSONDecoder().scan_once


def _loads(text: str) -> Any:
    """`json.loads` for the compact JSON this store writes, minus the wrapper's regex work
    (a third of the time it takes to open a 20,000-entry session); anything else goes the
    usual way, errors included."""
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
