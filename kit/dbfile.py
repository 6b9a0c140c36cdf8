"""Opening the store's SQLite file where users put it: a laptop's disk, a USB stick, a network
folder, a read-only disk, a damaged file.

WAL with synchronous=FULL where the folder gives SQLite shared memory; a rollback journal with
the same durability where it does not (a FAT stick through FUSE, some network folders); read
only where nothing can be written; a damaged file moved aside, never overwritten; and a file
system that loses appended data refused before anything is shown as saved.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import stat
from contextlib import suppress
from pathlib import Path

from kit.errors import KitError, os_error

DB_NAME = "tyopaja.sqlite3"
SCHEMA_VERSION = 3

# The two ways the store can write (`Store.journal`).
WAL = "wal"
ROLLBACK = "rollback"

# Test hook, set only by the test suite: TYOPAJA_TEST_JOURNAL=rollback makes every folder act
# as one that refuses SQLite shared memory (a FAT stick), so the rollback fallback runs, and
# is tested, on any machine, child processes included. Nothing else reads or sets it.
TEST_JOURNAL_HOOK = "TYOPAJA_TEST_JOURNAL"

# Each migration takes the schema from version i to i + 1. Never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        created     TEXT NOT NULL,
        meta        TEXT NOT NULL,     -- SessionMeta as JSON
        deck        TEXT NOT NULL,     -- the deck the session was created with, as JSON
        entry_count INTEGER NOT NULL DEFAULT 0,
        step        TEXT               -- the last step entry's data, for the session list
    );
    CREATE TABLE entries (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL,
        at         TEXT NOT NULL,
        data       TEXT NOT NULL
    );
    CREATE INDEX entries_by_session ON entries(session_id, id);
    -- Secret ballots: counters only, stored as 4-byte blobs so an update never changes a
    -- record's size (and so never its place on the page, whatever the order of the ballots).
    CREATE TABLE ballot_boxes (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        area_id    TEXT NOT NULL,
        count      BLOB NOT NULL,     -- how many ballots
        PRIMARY KEY (session_id, area_id)
    ) WITHOUT ROWID;
    CREATE TABLE ballot_ratings (
        session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        practice_id TEXT NOT NULL,
        level_id    TEXT NOT NULL,
        count       BLOB NOT NULL,
        PRIMARY KEY (session_id, practice_id, level_id)
    ) WITHOUT ROWID;
    CREATE TABLE ballot_dots (
        session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        practice_id TEXT NOT NULL,
        count       BLOB NOT NULL,
        PRIMARY KEY (session_id, practice_id)
    ) WITHOUT ROWID;
    """,
    # 1 -> 2: phone rounds. Ballots sent from phones while a round is open are kept apart
    # from the area's totals until the facilitator closes the round, and then added to them
    # in one transaction. The same fixed-width counters as the ballots; a round's rows are
    # made, all zero, when it opens (never by a ballot) and deleted when it closes.
    """
    CREATE TABLE round_boxes (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        area_id    TEXT NOT NULL,
        count      BLOB NOT NULL,
        code       TEXT NOT NULL,     -- the join code, so phones can carry on after a restart
        PRIMARY KEY (session_id, area_id)
    ) WITHOUT ROWID;
    CREATE TABLE round_ratings (
        session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        practice_id TEXT NOT NULL,
        level_id    TEXT NOT NULL,
        count       BLOB NOT NULL,
        PRIMARY KEY (session_id, practice_id, level_id)
    ) WITHOUT ROWID;
    CREATE TABLE round_dots (
        session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        practice_id TEXT NOT NULL,
        count       BLOB NOT NULL,
        PRIMARY KEY (session_id, practice_id)
    ) WITHOUT ROWID;
    -- Voting slips (kit.room.slips): a code per paper slip, made when the slips are printed.
    -- Only SHA-256(salt + code) is kept, never a code. A row per slip and area it is good
    -- for, its `spent` mark 32 zero bytes until its ballot is counted, then overwritten in
    -- place, in the transaction that adds the ballot to the round's counters: the same size
    -- before and after, so neither the rows nor the bytes on disk say which slip voted when,
    -- and nothing here or anywhere else links a slip to a ballot.
    CREATE TABLE slip_sets (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
        salt       BLOB NOT NULL,     -- random, 16 bytes, per session
        host       TEXT NOT NULL,     -- the address the slips' QR codes open, as printed
        port       INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE slips (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        hash       BLOB NOT NULL,     -- SHA-256(salt + code)
        area_id    TEXT NOT NULL,
        spent      BLOB NOT NULL,     -- 32 bytes: zero, or the mark of the page that spent it
        PRIMARY KEY (session_id, hash, area_id)
    ) WITHOUT ROWID;
    -- Areas whose open phone round takes slips only (kept, so a restart stays strict).
    CREATE TABLE slip_rounds (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        area_id    TEXT NOT NULL,
        PRIMARY KEY (session_id, area_id)
    ) WITHOUT ROWID;
    """,
    # 2 -> 3: where an imported session came from, so that importing the same file again is
    # noticed (`tyopaja import` refuses it without --again). `digest` is
    # kit.exports.jsonfile.fingerprint: the file's content without the session id.
    """
    CREATE TABLE imports (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
        source_id  TEXT NOT NULL,     -- the session's id where it was exported
        digest     TEXT NOT NULL      -- SHA-256, hex
    ) WITHOUT ROWID;
    CREATE INDEX imports_by_digest ON imports(digest);
    """,
)


def _private(path: Path, mode: int) -> None:
    """Take away group and other permissions; never add any (a read-only folder stays so)."""
    current = stat.S_IMODE(path.stat().st_mode)
    if current & 0o077:
        os.chmod(path, current & mode)


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _refuses_shared_memory(exc: sqlite3.Error) -> bool:
    """Whether an error is the file system refusing WAL's -shm file (open, size, map, lock).

    SQLite reports these as the SQLITE_IOERR family ("disk I/O error"), or SQLITE_CANTOPEN
    when the -shm file cannot be created at all. A genuine disk error looks the same; it then
    fails again in the rollback attempt and is reported as it is.
    """
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    return (name.startswith("SQLITE_IOERR") or name == "SQLITE_CANTOPEN"
            or "disk i/o error" in str(exc).lower())


def _wal_refused_by_test() -> bool:
    return os.environ.get(TEST_JOURNAL_HOOK) == ROLLBACK


def _enter_wal(db: sqlite3.Connection) -> str:
    """Ask for WAL and make the first read that needs the -shm file; the mode SQLite gave.

    The pragma alone proves nothing: on a FAT stick it answers "wal", and the next read fails.
    Raises what that read raises.
    """
    mode = str(db.execute("PRAGMA journal_mode=WAL").fetchone()[0]).lower()
    if mode == WAL:
        if _wal_refused_by_test():
            raise sqlite3.OperationalError(f"disk I/O error ({TEST_JOURNAL_HOOK})")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return mode


def _file_size(path: Path) -> int:
    """The size of a file, 0 if there is none."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _header_journal(path: Path) -> str | None:
    """WAL or ROLLBACK as the database header says (its write-version byte), None for a file
    that is new, empty or not a database (the open that follows finds out which)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    return WAL if header[18] == 2 else ROLLBACK


def keeps_grown_files(folder: Path) -> bool:
    """Whether the file system keeps a file that is reopened and appended to, as every SQLite
    commit that adds a page does. Plain writes, no SQLite; asked only where WAL was refused
    (a FAT stick, a network folder), so an ordinary disk never pays for it."""
    probe = folder / f".{DB_NAME}.probe-{os.getpid()}"
    blocks = [bytes([65 + n]) * 4096 for n in range(5)]
    try:
        with open(probe, "wb") as handle:
            handle.write(b"".join(blocks[:4]))
        with open(probe, "r+b") as handle:
            handle.seek(0, os.SEEK_END)
            handle.write(blocks[4])
            handle.flush()
            os.fsync(handle.fileno())
        return probe.read_bytes() == b"".join(blocks)
    except OSError:
        return True  # not this problem: the real open says what is wrong
    finally:
        with suppress(OSError):
            probe.unlink()


class DatabaseFile:
    """The open database of one data folder, and how it was opened."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        # Where a damaged database was moved on opening (the app and CLI say so), else None.
        self.moved_aside: Path | None = None
        # True when the folder cannot be written (read-only disk): sessions can be read and
        # exported, every write is refused with one line.
        self.read_only = False
        # How commits reach the disk: WAL, or ROLLBACK where the folder refuses WAL's shared
        # memory (a FAT stick). `fallback_journal` is True when the store writes with the
        # rollback journal for that reason (the app and CLI say so once); a read-only store
        # writes nothing and never falls back.
        self.journal: str = WAL
        self.fallback_journal: bool = False
        self.db = self._connect()


    def _connect(self) -> sqlite3.Connection:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            _private(self.data_dir, 0o700)
        except OSError as exc:
            raise os_error("store.folder", self.data_dir, exc) from None
        try:
            return self._open()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and not _is_corrupt(exc):
                readable = self._open_read_only()
                if readable is not None:
                    return readable
                raise KitError("store.cannot_open", path=str(self.path),
                               detail=str(exc)) from None
        # The file is damaged or not a database: keep it for rescue, never overwrite it,
        # and start a new store so the meeting can go on.
        self.moved_aside = self._move_aside()
        self._move_journal_aside(self.moved_aside)
        try:
            return self._open()
        except sqlite3.DatabaseError as exc:
            raise KitError("store.broken", path=str(self.path), detail=str(exc)) from None

    def _open(self) -> sqlite3.Connection:
        """The database in WAL mode, or with a rollback journal where WAL cannot work here."""
        try:
            if not self.path.exists():
                # Create the file ourselves so it is 0600 from the start; SQLite gives the
                # -wal, -shm and -journal files the same mode.
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            _private(self.path, 0o600)
        except OSError as exc:
            raise os_error("store.folder", self.data_dir, exc) from None
        # A database already in rollback mode was most likely put there by an earlier
        # fallback: ask a scratch database whether WAL works here before switching this one
        # back, for the switch would break another window still using it without WAL.
        if _header_journal(self.path) == ROLLBACK and not self._wal_works_here():
            return self._open_rollback()
        db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        try:
            try:
                wal = _enter_wal(db) == WAL
                if wal:
                    self._prepare(db)
            except sqlite3.OperationalError as exc:
                if not _refuses_shared_memory(exc):
                    raise
                wal = False
        except BaseException:
            db.close()
            raise
        if not wal:
            db.close()
            return self._open_rollback()
        self.journal, self.fallback_journal = WAL, False
        return db

    def _open_rollback(self) -> sqlite3.Connection:
        """The database with a rollback journal, for a folder without shared memory.

        TRUNCATE, not DELETE: a commit ends by truncating the journal to zero bytes, and with
        synchronous=FULL SQLite syncs that truncation, so a committed entry is as durable as in
        WAL (DELETE would need synchronous=EXTRA for a directory sync after the unlink, or a
        power cut could bring the journal back and roll the last commit back), and it spares a
        FAT stick a directory update per entry. Ballot secrecy: the journal holds the pages
        as they were before the transaction only until the commit, which truncates it to
        nothing, and secure_delete=ON zeroes the database's freed pages, so no file is left
        holding single ballots (the job `_checkpoint` does for the WAL).
        """
        # SQLite reads a database through its -wal file whenever one exists, whatever the
        # header says, and that needs the -shm file too.
        was_wal = (_header_journal(self.path) == WAL
                   or Path(f"{self.path}-wal").exists())
        db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        try:
            if was_wal:
                # Left in WAL mode (by our failed attempt, or copied from another disk): in
                # exclusive locking mode SQLite keeps the WAL index in its own memory, not in
                # the -shm file, so it can read the database, fold any committed content of
                # the -wal file into it and leave WAL. Only for this switch: other windows
                # need the normal locking mode.
                db.execute("PRAGMA locking_mode=EXCLUSIVE")
            mode = str(db.execute("PRAGMA journal_mode=TRUNCATE").fetchone()[0]).lower()
            if was_wal:
                db.execute("PRAGMA locking_mode=NORMAL")  # let go at the next read
            if mode != "truncate":
                raise sqlite3.OperationalError(f"cannot use a rollback journal: {mode}")
            if not os.access(self.data_dir, os.W_OK):
                # Read, but not written: `_open_read_only` opens it so, and says so.
                raise sqlite3.OperationalError("attempt to write a readonly database")
            if not keeps_grown_files(self.data_dir):
                # A file system that loses what is appended to a reopened file (fusefat 0.1a
                # does) would lose entries the screen showed as saved: refuse, and say so.
                raise KitError("store.loses_data", path=str(self.data_dir))
            self._prepare(db)
        except BaseException:
            db.close()
            raise
        self._remove_empty_wal_files()
        self.journal, self.fallback_journal = ROLLBACK, True
        return db

    def _wal_works_here(self) -> bool:
        """Whether SQLite gets shared memory in the data folder, asked of a scratch database
        of our own (its files are removed after), never of the real one."""
        if not os.access(self.data_dir, os.W_OK):
            return True  # nothing can be written: the WAL attempt fails, and says why
        if _wal_refused_by_test():
            return False
        probe = self.data_dir / f".{DB_NAME}.probe-{os.getpid()}-{os.urandom(3).hex()}"
        try:
            db = sqlite3.connect(probe, isolation_level=None, timeout=1)
            try:
                return _enter_wal(db) == WAL
            finally:
                db.close()
        except sqlite3.Error as exc:
            # Anything else (a read-only folder, say) is for the real open to report.
            return not _refuses_shared_memory(exc)
        finally:
            for suffix in ("-wal", "-shm", "-journal", ""):
                with suppress(OSError):
                    Path(f"{probe}{suffix}").unlink()

    def _remove_empty_wal_files(self) -> None:
        """Remove the empty -wal and -shm files a failed WAL attempt leaves behind.

        Only empty ones: a -wal file with content may hold committed entries and is never
        touched (SQLite folds one into the database when it leaves WAL, and would read one
        that is left over again). An empty -shm is no one's: a connection using one has grown
        it to at least 32 KiB.
        """
        for suffix in ("-wal", "-shm"):
            leftover = Path(f"{self.path}{suffix}")
            with suppress(OSError):
                if leftover.stat().st_size == 0:
                    leftover.unlink()

    def _move_journal_aside(self, target: Path) -> None:
        """Keep a damaged database's rollback journal with it: played back into the new
        database, it would write old pages into it."""
        journal = Path(f"{self.path}-journal")
        if _file_size(journal) > 0:
            try:
                journal.rename(f"{target}-journal")
            except OSError as exc:
                raise os_error("store.folder", self.data_dir, exc) from None
        else:
            with suppress(OSError):
                journal.unlink()

    def _prepare(self, db: sqlite3.Connection) -> None:
        """The settings every connection needs, whatever its journal; check and migrate."""
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA secure_delete=ON")
        # Half a megabyte of page cache (SQLite's default is 2 MB): the log is read once,
        # in order, when a session opens, and written by appending; old laptops are short
        # of memory, not of this cache.
        db.execute("PRAGMA cache_size=-512")
        check = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed: {check}")
        self._migrate(db)

    def _open_read_only(self) -> sqlite3.Connection | None:
        """The database on a read-only disk, for reading; None if that is not the problem.

        With no -wal file (or an empty one) and no rollback journal with content, the
        database is complete in its main file and `immutable` is safe (SQLite could not
        create the -shm it needs otherwise); with one, only `mode=ro` reads what the WAL holds,
        or refuses a database whose interrupted transaction it cannot roll back.
        """
        if os.access(self.data_dir, os.W_OK) or not self.path.is_file():
            return None
        has_log = any(_file_size(Path(f"{self.path}{suffix}")) > 0
                      for suffix in ("-wal", "-journal"))
        for query in ("mode=ro", *(() if has_log else ("immutable=1",))):
            db = sqlite3.connect(f"{self.path.absolute().as_uri()}?{query}", uri=True,
                                 isolation_level=None)
            try:
                check = db.execute("PRAGMA quick_check(1)").fetchone()[0]
                version = db.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.Error:
                db.close()
                continue
            if check != "ok" or version != SCHEMA_VERSION:
                db.close()
                return None
            self.read_only = True
            self.journal = _header_journal(self.path) or WAL
            self.fallback_journal = False  # nothing is written, so nothing falls back
            return db
        return None

    def _move_aside(self) -> Path:
        """Rename the damaged database (and its WAL) to a new, timestamped name."""
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        for n in range(1000):
            target = self.data_dir / f"{DB_NAME}.broken-{stamp}{f'-{n}' if n else ''}"
            if not any(Path(f"{target}{suffix}").exists() for suffix in ("", "-wal", "-shm")):
                break
        try:
            for suffix in ("-wal", "-shm", ""):
                source = Path(f"{self.path}{suffix}")
                if source.exists():
                    source.rename(f"{target}{suffix}")
        except OSError as exc:
            raise os_error("store.folder", self.data_dir, exc) from None
        return target

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise KitError("store.too_new", version=version, known=SCHEMA_VERSION)
        if version == SCHEMA_VERSION:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
