"""A data folder where SQLite cannot have WAL's shared memory (a FAT USB stick mounted
through FUSE, some network folders): the store falls back to a rollback journal with the same
durability, says so once, and loses nothing.

Where the machine allows it (fusefat, mkfs.vfat, /dev/fuse and a mount that works), a real
FAT image is mounted through FUSE. The same assertions run everywhere against an injected
refusal too (the store's test hook TYOPAJA_TEST_JOURNAL=rollback, or a monkeypatched first
read), each as its own test, so the fallback is tested on every machine.

fusefat 0.1a (Debian's) itself loses the clusters of a file that grows after it was reopened
or written in the middle: SQLite's commits do both, whatever the journal. On such a driver
the real-mount tests check what the kit controls (WAL refused, the fallback taken and said,
no traceback, no stale files) and mark the rest as an expected failure of the driver, after
showing that failure with plain file writes; a driver that keeps files gets every assertion.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_helpers import make_app, settle
from test_durability import test_printed_entries_survive_sigkill as kill_and_check

from kit import dbfile
from kit.dbfile import DB_NAME, ROLLBACK, TEST_JOURNAL_HOOK, WAL, keeps_grown_files
from kit.deck import Deck
from kit.errors import KitError
from kit.i18n import t
from kit.store import Store

MOUNT_TIMEOUT = 30


# --- the real mount --------------------------------------------------------------------------


def _can_mount() -> bool:
    tools = ("fusefat", "mkfs.vfat", "fusermount")
    return all(shutil.which(tool) for tool in tools) and os.path.exists("/dev/fuse")


@pytest.fixture
def fat_mount(tmp_path: Path) -> Iterator[Path | None]:
    """A 64 MB FAT image of our own mounted through FUSE, or None where that cannot be done.

    Always unmounted afterwards (lazily if something still holds it).
    """
    if not _can_mount():
        yield None
        return
    image, mount = tmp_path / "stick.img", tmp_path / "stick"
    mount.mkdir()
    try:
        with open(image, "wb") as handle:
            handle.truncate(64 * 1024 * 1024)
        subprocess.run(["mkfs.vfat", str(image)], check=True, capture_output=True,
                       timeout=MOUNT_TIMEOUT)
        subprocess.run(["fusefat", "-o", "rw+", str(image), str(mount)], check=True,
                       capture_output=True, timeout=MOUNT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        yield None
        return
    try:
        yield mount if os.path.ismount(mount) else None
    finally:
        done = subprocess.run(["fusermount", "-u", str(mount)], check=False,
                              capture_output=True, timeout=MOUNT_TIMEOUT)
        if done.returncode != 0 and os.path.ismount(mount):
            subprocess.run(["fusermount", "-u", "-z", str(mount)], check=False,
                           capture_output=True, timeout=MOUNT_TIMEOUT)


def _real_mount(fat_mount: Path | None) -> tuple[Path, bool]:
    """The mount and whether its driver keeps data; a skip where there is no mount (the
    injected variants below run in any case)."""
    if fat_mount is None:
        pytest.skip("no FUSE FAT mount on this machine: the injected variants cover it")
    return fat_mount, keeps_grown_files(fat_mount)  # the store's own check


# --- helpers ---------------------------------------------------------------------------------


def _kit(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", "--data-dir", str(folder), *args],
                          capture_output=True, text=True, timeout=120)


def _fallback_line(folder: Path, lang: str = "fi") -> str:
    return t("cli.warning", lang, message=t("store.fallback_journal", lang, path=str(folder)))


def _files(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def _assert_no_stale_wal_files(folder: Path) -> None:
    """Neither an empty -wal nor a -shm is left for a later open to trip over."""
    left = _files(folder) & {f"{DB_NAME}-wal", f"{DB_NAME}-shm"}
    assert not left, left
    assert not [name for name in _files(folder) if ".probe-" in name]


def _header_journal(folder: Path) -> str:
    """What the database file itself says: byte 18 is 2 for WAL, 1 for a rollback journal."""
    return WAL if (folder / DB_NAME).read_bytes()[18] == 2 else ROLLBACK


def _integrity(folder: Path) -> str:
    db = sqlite3.connect(folder / DB_NAME)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


def _demo_falls_back_and_says_so(folder: Path) -> str:
    """`tyopaja demo --no-ui` in the folder: exit 0, the id alone on stdout, one line about
    the journal (and the line saying what was made)."""
    demo = _kit(folder, "demo", "--no-ui")
    assert demo.returncode == 0, demo.stderr
    session = demo.stdout.strip()
    assert demo.stdout == session + "\n" and len(session.split()) == 1
    warning, made = demo.stderr.splitlines()
    assert warning == _fallback_line(folder) and session in made
    _assert_no_stale_wal_files(folder)
    return session


def _everything_is_there(folder: Path, session: str) -> None:
    """`sessions` lists it (and says it once, in the user's language), `export` works, and a
    new store finds every entry the export holds."""
    listing = _kit(folder, "sessions")
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.startswith(session) and "merkintää" in listing.stdout
    assert listing.stderr.splitlines() == [_fallback_line(folder)]
    english = _kit(folder, "--lang", "en", "sessions")
    assert english.returncode == 0 and english.stderr.splitlines() == [
        _fallback_line(folder, "en")]
    exported = _kit(folder, "export", session, "--format", "json")
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["entries"]
    with Store(folder) as store:
        assert store.journal == ROLLBACK and store.fallback_journal
        stored = [(e.kind, e.data) for e in store.entries(session)]
        assert stored == [(e["kind"], e["data"]) for e in data["entries"]]
        assert store.snapshot(session).entry_count == len(stored)
    assert _integrity(folder) == "ok"
    assert _header_journal(folder) == ROLLBACK
    _assert_no_stale_wal_files(folder)


@pytest.fixture
def refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every folder refuses WAL, for this process and the commands it starts."""
    monkeypatch.setenv(TEST_JOURNAL_HOOK, ROLLBACK)


# --- the CLI round trip ----------------------------------------------------------------------


def test_a_real_fat_mount_refuses_wal_and_the_kit_falls_back(fat_mount: Path | None) -> None:
    mount, keeps_data = _real_mount(fat_mount)
    if not keeps_data:  # fusefat 0.1a: refused with one line, before anything is shown saved
        demo = _kit(mount / "data", "demo", "--no-ui")
        assert (demo.returncode, demo.stdout) == (2, "")
        assert demo.stderr.splitlines() == [
            "tyopaja: " + t("store.loses_data", "fi", path=str(mount / "data"))]
        return
    with Store(mount / "opened") as store:  # the report: "disk I/O error" on opening
        assert store.journal == ROLLBACK and store.fallback_journal
    _assert_no_stale_wal_files(mount / "opened")
    session = _demo_falls_back_and_says_so(mount / "data")
    _everything_is_there(mount / "data", session)


def test_a_file_system_that_loses_appended_data_is_refused(
        data_dir: Path, refused: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a broken driver gets on every machine: one line, exit 2, no session."""
    monkeypatch.setattr(dbfile, "keeps_grown_files", lambda folder: False)
    with pytest.raises(KitError) as error:
        Store(data_dir)
    assert error.value.key == "store.loses_data"
    assert "hukkaa" in error.value.message("fi") and "loses" in error.value.message("en")


def test_an_injected_wal_refusal_gives_the_same_round_trip(data_dir: Path, refused: None) -> None:
    session = _demo_falls_back_and_says_so(data_dir)
    _everything_is_there(data_dir, session)


def test_without_the_refusal_nothing_is_said(data_dir: Path) -> None:
    demo = _kit(data_dir, "demo", "--no-ui")
    [made] = demo.stderr.splitlines()  # only what was made: nothing about the journal
    assert demo.returncode == 0 and demo.stdout.strip() in made
    with Store(data_dir) as store:
        assert store.journal == WAL and not store.fallback_journal


# --- how the store detects and falls back ----------------------------------------------------


def _record_some(store: Store, deck: Deck, count: int = 20) -> tuple[str, list[int]]:
    session = store.create_session(deck)
    practices = [p.id for p in deck.practices()]
    ids = [store.session(session).record_rating(1, practices[n % len(practices)], "hyvin").id
           for n in range(count)]
    return session, ids


def test_a_wal_pragma_that_answers_delete_means_the_rollback_journal(
        data_dir: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dbfile, "_enter_wal", lambda db: "delete")
    with Store(data_dir) as store:
        assert store.journal == ROLLBACK and store.fallback_journal
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "truncate"
        assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        session, ids = _record_some(store, deck)
    with Store(data_dir) as store:
        assert [e.id for e in store.entries(session)] == ids
    assert _header_journal(data_dir) == ROLLBACK and _integrity(data_dir) == "ok"
    _assert_no_stale_wal_files(data_dir)


def test_a_first_read_failing_with_disk_io_error_means_the_rollback_journal(
        data_dir: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch) -> None:
    """As on the FAT stick: the pragma says "wal" and leaves the file in WAL mode, and the
    first read that needs the -shm file fails."""

    def fails_like_fat(db: sqlite3.Connection) -> str:
        assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(dbfile, "_enter_wal", fails_like_fat)
    with Store(data_dir) as store:
        assert store.journal == ROLLBACK and store.fallback_journal
        session, ids = _record_some(store, deck)
    _assert_no_stale_wal_files(data_dir)
    with Store(data_dir) as store:
        assert [e.id for e in store.entries(session)] == ids
    assert _header_journal(data_dir) == ROLLBACK and _integrity(data_dir) == "ok"


def test_other_errors_are_not_taken_for_a_wal_refusal(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(db: sqlite3.Connection) -> str:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(dbfile, "_enter_wal", locked)
    with pytest.raises(KitError) as caught:
        Store(data_dir)
    assert "database is locked" in caught.value.message("fi")


def test_committed_entries_in_a_wal_file_are_kept_when_falling_back(
        tmp_path: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder copied to the stick while its WAL still held entries (or our own failed WAL
    attempt on a file that had some): switching to the rollback journal folds them in."""
    laptop, stick = tmp_path / "laptop", tmp_path / "stick"
    with Store(laptop) as store:
        session, ids = _record_some(store, deck)
        wal = laptop / f"{DB_NAME}-wal"
        assert wal.stat().st_size > 0  # the entries are in the WAL, not yet in the file
        stick.mkdir()
        for name in (DB_NAME, f"{DB_NAME}-wal"):  # as a copy takes them, -shm aside
            shutil.copyfile(laptop / name, stick / name)
    monkeypatch.setenv(TEST_JOURNAL_HOOK, ROLLBACK)
    with Store(stick) as store:
        assert store.journal == ROLLBACK
        assert [e.id for e in store.entries(session)] == ids
    _assert_no_stale_wal_files(stick)  # folded in by SQLite, not deleted by us
    assert _integrity(stick) == "ok"
    monkeypatch.delenv(TEST_JOURNAL_HOOK)
    db = sqlite3.connect(stick / DB_NAME)  # what is in the file itself, with no WAL beside it
    try:
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == len(ids)
    finally:
        db.close()


def test_the_leftovers_of_the_original_failure_are_cleaned_up(
        data_dir: Path, deck: Deck, refused: None) -> None:
    """The folder as the failing version left it: the database in WAL mode and an empty
    -wal and -shm beside it."""
    with Store(data_dir) as store:
        session, ids = _record_some(store, deck, 3)
    db = sqlite3.connect(data_dir / DB_NAME)
    try:
        assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    finally:
        db.close()
    for suffix in ("-wal", "-shm"):
        (data_dir / f"{DB_NAME}{suffix}").write_bytes(b"")
    with Store(data_dir) as store:
        assert store.journal == ROLLBACK
        assert [e.id for e in store.entries(session)] == ids
    _assert_no_stale_wal_files(data_dir)
    assert _header_journal(data_dir) == ROLLBACK and _integrity(data_dir) == "ok"


def test_only_empty_leftovers_are_removed(data_dir: Path, refused: None) -> None:
    wal, shm = data_dir / f"{DB_NAME}-wal", data_dir / f"{DB_NAME}-shm"
    opened = dbfile.DatabaseFile(data_dir)
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 60)  # content: never ours to delete
    shm.write_bytes(b"")
    opened._remove_empty_wal_files()
    opened.db.close()
    assert not shm.exists()
    assert wal.read_bytes().startswith(b"\x37\x7f\x06\x82")


def test_a_folder_that_allows_wal_again_gets_wal_back(
        data_dir: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stick's folder copied back to the laptop: the scratch database says WAL works."""
    monkeypatch.setenv(TEST_JOURNAL_HOOK, ROLLBACK)
    with Store(data_dir) as store:
        session, ids = _record_some(store, deck)
    assert _header_journal(data_dir) == ROLLBACK
    monkeypatch.delenv(TEST_JOURNAL_HOOK)
    with Store(data_dir) as store:
        assert store.journal == WAL and not store.fallback_journal
        assert [e.id for e in store.entries(session)] == ids
    assert _header_journal(data_dir) == WAL
    assert not [name for name in _files(data_dir) if ".probe-" in name]


def test_a_read_only_folder_with_a_rollback_database_opens_read_only(
        tmp_path: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stick that the kit once wrote with the rollback journal, now read-only: sessions are
    read, nothing falls back, and the store says it is read-only (not that saving is slow)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)],
                       check=True, capture_output=True, timeout=MOUNT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("mounting a read-only disk is not allowed here (test_faults_disk injects)")
    try:
        monkeypatch.setenv(TEST_JOURNAL_HOOK, ROLLBACK)
        with Store(mount / "data") as store:
            session, ids = _record_some(store, deck, 3)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True,
                       capture_output=True, timeout=MOUNT_TIMEOUT)
        for hook in (ROLLBACK, None):
            if hook is None:
                monkeypatch.delenv(TEST_JOURNAL_HOOK)
            with Store(mount / "data") as store:
                assert store.read_only and not store.fallback_journal
                assert store.journal == ROLLBACK
                assert [e.id for e in store.entries(session)] == ids
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False, capture_output=True,
                       timeout=MOUNT_TIMEOUT)


# --- two windows, ballots, the app -----------------------------------------------------------


def test_two_stores_with_the_rollback_journal_see_each_other(
        data_dir: Path, deck: Deck, refused: None) -> None:
    with Store(data_dir) as a, Store(data_dir) as b:
        assert a.journal == b.journal == ROLLBACK
        # The second open left the file in rollback mode: switching it to WAL would have
        # broken the first window on a folder without shared memory.
        assert _header_journal(data_dir) == ROLLBACK
        session = a.create_session(deck)
        b.state(session)
        assert b.changed_elsewhere()
        assert not b.changed_elsewhere()
        practice = deck.area("osallisuus").practices[0].id
        a.session(session).record_rating(1, practice, "hyvin", 2)
        assert b.changed_elsewhere() and not a.changed_elsewhere()
        assert b.refresh(session).ratings[(1, practice, "hyvin")] == 2
        b.session(session).record_rating(1, practice, "hyvin", 3)
        assert a.changed_elsewhere()
        assert a.refresh(session).ratings[(1, practice, "hyvin")] == 5


async def test_two_app_windows_with_the_rollback_journal(data_dir: Path, deck: Deck,
                                                        refused: None) -> None:
    """The two-windows fault test, word for word, with the fallback forced."""
    from test_faults_instances import (
        test_two_apps_on_one_folder_lose_nothing_and_see_each_other as two_windows,
    )

    await two_windows(data_dir, deck)
    assert _header_journal(data_dir) == ROLLBACK


@pytest.mark.parametrize("journal", [WAL, ROLLBACK])
def test_ballots_leave_no_journal_and_checkpoint_only_a_wal(
        data_dir: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, journal: str) -> None:
    if journal == ROLLBACK:
        monkeypatch.setenv(TEST_JOURNAL_HOOK, ROLLBACK)
    area = deck.area("osallisuus")
    with Store(data_dir) as store:
        assert store.journal == journal
        session = store.create_session(deck)
        statements: list[str] = []
        store._db.set_trace_callback(statements.append)
        store.session(session).cast_ballot(area.id, {area.practices[0].id: "hyvin"}, {})
        store._db.set_trace_callback(None)
        checkpoints = [s for s in statements if "wal_checkpoint" in s]
        assert len(checkpoints) == (1 if journal == WAL else 0)
        journal_file = data_dir / f"{DB_NAME}-journal"
        assert not journal_file.exists() or journal_file.stat().st_size == 0
        assert _files(data_dir) <= {DB_NAME, f"{DB_NAME}-journal", f"{DB_NAME}-wal",
                                    f"{DB_NAME}-shm"}
        if journal == WAL:
            assert (data_dir / f"{DB_NAME}-wal").stat().st_size == 0  # checkpointed


async def test_the_app_says_it_once(data_dir: Path, refused: None) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        notices = [str(n.message) for n in app._notifications]
        expected = t("store.fallback_journal", "fi", path=str(data_dir))
        assert notices.count(expected) == 1


# --- durability ------------------------------------------------------------------------------


def test_printed_entries_survive_sigkill_with_the_rollback_journal(
        data_dir: Path, deck: Deck, refused: None) -> None:
    """tests/test_durability.py's kill-and-check, with the fallback forced in the children."""
    kill_and_check(data_dir, deck)
    assert _header_journal(data_dir) == ROLLBACK
    assert _integrity(data_dir) == "ok"
    _assert_no_stale_wal_files(data_dir)


def test_printed_entries_survive_sigkill_on_a_real_fat_mount(fat_mount: Path | None,
                                                             deck: Deck) -> None:
    mount, keeps_data = _real_mount(fat_mount)
    folder = mount / "data"
    if not keeps_data:  # nothing is ever shown as saved there: the store refuses to open
        with pytest.raises(KitError):
            Store(folder)
        return
    kill_and_check(folder, deck)
    assert _header_journal(folder) == ROLLBACK
    assert _integrity(folder) == "ok"


def test_the_driver_check_sees_a_file_system_that_keeps_files(tmp_path: Path) -> None:
    """The check that decides what a real mount can be asked, and the store's own."""
    assert keeps_grown_files(tmp_path) and list(tmp_path.iterdir()) == []
