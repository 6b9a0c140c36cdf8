"""A full disk and a read-only data folder: nothing is shown as saved that was not, one line
says why, what was saved before stays, and the app goes on.

Where the machine allows mounting (root in CI), the faults are real: a small tmpfs filled to
the last byte, or mounted read-only. Where it does not, the same failure is injected at the
SQLite layer, so the tests always assert something. The injected variants run everywhere.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fault_helpers import make_app, session_in_area, settle, status_line

from kit.app import WorkshopApp
from kit.deck import Deck
from kit.screens.area import AreaScreen
from kit.store import DB_NAME, Store

FULL = "database or disk is full"
READ_ONLY = "attempt to write a readonly database"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 4 MB tmpfs of our own, or None where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)],
                       check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False, capture_output=True)


def _remount(mount: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mount)], check=True,
                   capture_output=True, timeout=30)


class FailingWrites:
    """A stand-in for the store's connection whose writes fail the way SQLite's do."""

    WRITES = ("BEGIN IMMEDIATE", "INSERT", "UPDATE", "DELETE", "COMMIT")

    def __init__(self, db: sqlite3.Connection, message: str) -> None:
        self._db = db
        self._message = message

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.lstrip().upper().startswith(self.WRITES):
            raise sqlite3.OperationalError(self._message)
        return self._db.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        raise sqlite3.OperationalError(self._message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


def _fill(mount: Path) -> Path:
    """Take every last byte of the small disk."""
    filler = mount / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0")
    finally:
        os.close(fd)
    return filler


def _rows(data_dir: Path) -> list[tuple[Any, ...]]:
    """Every entry on disk, read with a connection of our own."""
    db = sqlite3.connect(data_dir / DB_NAME)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT id, kind, data FROM entries ORDER BY id").fetchall()
    finally:
        db.close()


def _notices(app: WorkshopApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _try_to_record(pilot: Any, app: WorkshopApp) -> None:
    """A show of hands, a dot and a comment, each of which has to fail."""
    await pilot.press("x", "7", "enter", "1")
    await settle(pilot)
    await pilot.press("plus")
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    await pilot.press(*"levy", "enter")
    await settle(pilot)
    dialog = app.screen
    assert "✗" in str(dialog.query_one("#err-text").render())  # the dialog says why
    await pilot.press("escape")  # Esc asks before the typed text is thrown away: yes
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def _assert_not_saved(app: WorkshopApp, why: str) -> None:
    status = status_line(app)
    assert "Tallennettu" not in status
    assert status.startswith("✗") and why in status and "\n" not in status
    assert isinstance(app.screen, AreaScreen) and app.is_running


async def test_a_full_disk_saves_nothing_says_so_and_the_app_goes_on(
        small_disk: Path | None, data_dir: Path, deck: Deck) -> None:
    folder = (small_disk / "data") if small_disk is not None else data_dir
    session = session_in_area(folder, deck)
    app = make_app(folder, session_id=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x", "3", "enter", "1")  # saved while there is room
        assert "Tallennettu +3" in status_line(app)
        before = _rows(folder)
        if small_disk is not None:
            filler = _fill(small_disk)
        else:
            real = app.store._db
            app.store._db = FailingWrites(real, FULL)  # type: ignore[assignment]
        await _try_to_record(pilot, app)
        _assert_not_saved(app, "levy on täynnä")
        assert any("levy on täynnä" in notice for notice in _notices(app))
        assert _rows(folder) == before
        # Room again: the next entry is saved as usual, in the same running app.
        if small_disk is not None:
            filler.unlink()
        else:
            app.store._db = real
        await pilot.press("x", "5", "enter", "2")
        await settle(pilot)
        assert "Tallennettu +5" in status_line(app)
    with Store(folder) as store:
        snapshot = store.snapshot(session)
        practice = deck.area("osallisuus").practices[0].id
        assert dict(snapshot.ratings) == {(1, practice, "hyvin"): 3, (1, practice, "osittain"): 5}
        assert not snapshot.dots and not snapshot.comments


async def test_a_read_only_data_folder_shows_the_workshops_and_saves_nothing(
        small_disk: Path | None, data_dir: Path, deck: Deck) -> None:
    folder = (small_disk / "data") if small_disk is not None else data_dir
    session = session_in_area(folder, deck)
    with Store(folder) as store:
        store.session(session).record_rating(1, deck.area("osallisuus").practices[1].id, "hyvin", 4)
    before = _rows(folder)
    if small_disk is not None:
        _remount(small_disk, "ro")
    app = make_app(folder)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            if small_disk is not None:
                assert app.store.read_only
                assert any("vain luettavissa" in notice for notice in _notices(app))
            else:
                app.store._db = FailingWrites(app.store._db, READ_ONLY)  # type: ignore[assignment]
            await pilot.press("enter")  # the saved workshop is listed: carry on with it
            await settle(pilot)
            assert isinstance(app.screen, AreaScreen) and app.screen.area_id == "osallisuus"
            assert app.snapshot().entry_count == len(before)  # nothing saved earlier is lost
            await _try_to_record(pilot, app)
            _assert_not_saved(app, "vain luettavissa")
    finally:
        if small_disk is not None:
            _remount(small_disk, "rw")
    assert _rows(folder) == before


@pytest.mark.parametrize(("message", "words"), [(FULL, "levy on täynnä"),
                                                 (READ_ONLY, "vain luettavissa")])
async def test_a_failing_write_injected_at_the_sqlite_layer(
        data_dir: Path, deck: Deck, message: str, words: str) -> None:
    """The same promise on any machine: SQLite's own errors become one line, not a crash."""
    session = session_in_area(data_dir, deck)
    app = make_app(data_dir, session_id=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        assert "Tallennettu +1" in status_line(app)
        before = _rows(data_dir)
        app.store._db = FailingWrites(app.store._db, message)  # type: ignore[assignment]
        await _try_to_record(pilot, app)
        _assert_not_saved(app, words)
        await pilot.press("right")  # moving on still works (the step is not saved)
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen) and app.screen.area_id == "yhteistyo"
        assert app.is_running
    assert _rows(data_dir) == before
