"""Durability: entries whose ids were printed survive SIGKILL at random moments."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from kit.store import DB_NAME, Store

CHILD = Path(__file__).with_name("durability_child.py")
ENTRIES = 500
ROUNDS = 8


def _run_child(data_dir: Path, session: str, kill_at: int | None) -> list[int]:
    """Start the child; SIGKILL it once it has printed `kill_at` ids; return what it printed.

    Killing on a count of printed lines (not after a sleep) makes every round a mid-run kill
    whatever the machine's speed; the child keeps writing while we read, so the moment of
    the kill within its work is still random.
    """
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir), session, str(ENTRIES)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert child.stdout is not None
    lines: list[str] = []
    if kill_at is not None:
        for line in child.stdout:
            lines.append(line)
            if len(lines) >= kill_at:
                child.send_signal(signal.SIGKILL)
                break
    out, err = child.communicate(timeout=300)
    lines += out.splitlines()
    if kill_at is None:
        assert child.returncode == 0, err
    else:  # it may just have finished on its own before the signal arrived
        assert child.returncode in (0, -signal.SIGKILL), err
    # A line cut by the kill is not a printed id.
    return [int(line) for line in lines if line.strip().isdigit()]


def test_printed_entries_survive_sigkill(data_dir: Path, deck) -> None:  # type: ignore[no-untyped-def]
    with Store(data_dir) as store:
        session = store.create_session(deck)
    rng = random.Random(20261128)
    printed: list[int] = []
    killed_mid_run = 0
    for _ in range(ROUNDS):
        ids = _run_child(data_dir, session, rng.randint(1, ENTRIES - 1))
        killed_mid_run += 0 < len(ids) < ENTRIES
        printed += ids
        db = sqlite3.connect(data_dir / DB_NAME)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = {row[0] for row in db.execute("SELECT id FROM entries")}
        finally:
            db.close()
        missing = set(printed) - stored
        assert not missing, f"{len(missing)} printed entries lost"
    printed += _run_child(data_dir, session, None)  # one full, uninterrupted run of 500
    assert killed_mid_run >= 1, "no round was killed mid-run: the test proved nothing"
    with Store(data_dir) as store:
        snapshot = store.snapshot(session)
        stored = {e.id for e in store.entries(session)}
        assert set(printed) <= stored
        assert snapshot.entry_count == len(stored)
