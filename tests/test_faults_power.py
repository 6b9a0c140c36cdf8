"""Power loss: the real app in a pseudo-terminal, killed with SIGKILL at random moments.

Each round starts `python -m kit` in a pty, resumes the workshop with Enter, records ratings
with distinct counts ("x N Enter 1"), sometimes moves to another area, and is killed at a
random moment. After every kill: `PRAGMA integrity_check` is ok, every entry whose "saved"
line the screen showed is in the database, and the next start resumes in the area the screen
last showed. The screen is read through `pyte`, a terminal emulator, as a person would read it.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte

from kit.deck import Deck
from kit.store import DB_NAME, Store

ROUNDS = 22
COLUMNS, LINES = 100, 30
SAVED = re.compile(r"Tallennettu \+(\d+) ")
AREA_LINE = re.compile(r"osa-alue (\d)/4")
RIGHT, LEFT = b"\x1b[C", b"\x1b[D"


class Terminal:
    """The app in a pseudo-terminal, and what its screen has shown."""

    def __init__(self, data_dir: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kit", "--data-dir", str(data_dir)],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.saved_seen: set[int] = set()  # counts whose "saved" line was on the screen
        self.area_seen: int | None = None  # the area number the screen showed last

    def pump(self, seconds: float) -> None:
        """Read what the app drew for a while (or until it is gone)."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            ready, _, _ = select.select([self.master], [], [], max(0.0, min(left, 0.02)))
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:  # the other end is closed: the app is gone
                    return
                if not data:
                    return
                self.stream.feed(data)
                self._look()
            elif left <= 0:
                return

    def _look(self) -> None:
        top = "\n".join(self.screen.display[:3])
        self.saved_seen.update(int(n) for n in SAVED.findall(top))
        area = AREA_LINE.search(self.screen.display[0])
        if area:
            self.area_seen = int(area.group(1))

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, predicate: object, timeout: float = 15.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.02)
            if callable(predicate) and predicate():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"the app exited ({self.process.returncode}):\n"
                                     f"{self.text()}")
        raise AssertionError(f"timed out; the screen shows:\n{self.text()}")

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def kill(self) -> None:
        """Power off: SIGKILL, then read whatever the app had already written."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.pump(0.05)
        os.close(self.master)


def _stored(data_dir: Path) -> tuple[str, dict[int, str]]:
    """integrity_check's answer and the ratings stored: count -> practice."""
    db = sqlite3.connect(data_dir / DB_NAME)
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = db.execute("SELECT data FROM entries WHERE kind = 'rating'").fetchall()
    finally:
        db.close()
    ratings = {}
    for (data,) in rows:
        entry = json.loads(data)
        ratings[entry["delta"]] = entry["practice"]
    return check, ratings


def test_what_the_screen_showed_survives_sigkill(data_dir: Path, deck: Deck) -> None:
    with Store(data_dir) as store:
        session = store.create_session(deck, association="Virta ry", date="2027-03-12")
        store.session(session).record_step("area", "osallisuus")
    first_practice = {n: area.practices[0].id for n, area in enumerate(deck.areas, start=1)}
    rng = random.Random(20270312)
    shown: dict[int, int] = {}  # count -> area number it was recorded in, as shown
    expected_area = {1}  # where the next start may resume (two while a move was in flight)
    next_count = 1
    killed_while_typing = resumed = 0
    for _ in range(ROUNDS):
        term = Terminal(data_dir)
        if rng.random() < 0.15:  # the power goes while the app is still starting
            term.pump(rng.uniform(0.0, 0.8))
            term.kill()
        else:
            # A workshop left open comes straight back; the very first start (or one killed
            # before the workshop opened) shows the saved-sessions list, its newest selected.
            term.wait_for(lambda t=term: "Merkintöjä" in t.text()
                          or (t.area_seen is not None and "Ryhmä 1" in t.text()))
            if "Merkintöjä" in term.text():
                term.press(b"\r")  # carry on with the newest workshop
            term.wait_for(lambda t=term: t.area_seen is not None and "Ryhmä 1" in t.text())
            assert term.area_seen in expected_area, (term.area_seen, expected_area)
            resumed += 1
            area = term.area_seen
            for step in range(rng.randint(1, 4)):
                last = step > 0 and rng.random() < 0.35
                if rng.random() < 0.25:  # move to another area first
                    move = RIGHT if area < 4 else LEFT
                    target = area + 1 if move == RIGHT else area - 1
                    term.press(move)
                    if last:
                        expected_area = {area, target}
                        break
                    term.wait_for(lambda t=term, a=target: t.area_seen == a)
                    area = target
                    expected_area = {area}
                count, next_count = next_count, next_count + 1
                term.press(b"x" + str(count).encode() + b"\r1")
                if last:
                    break
                term.wait_for(lambda t=term, c=count: c in t.saved_seen)
                shown[count] = area
            # Power off at a random moment: mid-typing, mid-save, mid-draw or idle.
            term.pump(rng.choice([0.0, rng.uniform(0.0, 0.03), rng.uniform(0.0, 0.3)]))
            killed_while_typing += 1
            term.kill()
            for count in term.saved_seen - set(shown):
                shown[count] = area
        check, stored = _stored(data_dir)
        assert check == "ok"
        missing = set(shown) - set(stored)
        assert not missing, f"entries the screen showed as saved are lost: {sorted(missing)}"
        for count, area in shown.items():
            assert stored[count] == first_practice[area], (count, area)
    assert resumed >= 10 and killed_while_typing >= 10
    assert len(shown) >= 20, "too few entries were shown saved: the test proved little"
    # The session is whole after all this: its tallies are exactly the stored entries.
    with Store(data_dir) as store:
        snapshot = store.snapshot(session)
        _, stored = _stored(data_dir)
        assert sum(snapshot.ratings.values()) == sum(stored)
