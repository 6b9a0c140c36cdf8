"""A damaged database: one clear message that says where the old file went; the file is
moved aside with a timestamp, byte for byte, never overwritten; a new store starts and the
app (and the command line) go on with it."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest
from fault_helpers import make_app, settle

from kit.cli import main
from kit.deck import Deck
from kit.screens.start import StartScreen
from kit.store import DB_NAME, Store

PAGE = 4096


def _damaged(data_dir: Path, deck: Deck, damage: str) -> bytes:
    """A real store with a session and entries, closed, then damaged; the damaged bytes."""
    with Store(data_dir) as store:
        session = store.create_session(deck, association="Vaurio ry")
        for n in range(1, 40):
            store.session(session).add_comment(f"kommentti {n} " + "x" * 200, "idea")
    path = data_dir / DB_NAME
    raw = path.read_bytes()
    assert len(raw) > 4 * PAGE
    if damage == "truncated-half":
        broken = raw[: len(raw) // 2]
    elif damage == "truncated-header":
        broken = raw[:50]
    elif damage == "garbage-header":
        broken = os.urandom(100) + raw[100:]
    elif damage == "garbage-pages":  # a b-tree page's header and cells overwritten
        broken = raw[:PAGE] + b"\xff\x13garbage" * (PAGE // 9) + raw[2 * PAGE - 2 * PAGE % 9:]
        broken = broken[: len(raw)]
    else:
        broken = b"not a database at all \x00\x01\x02" * 300
    path.write_bytes(broken)
    return broken


DAMAGES = ["truncated-half", "truncated-header", "garbage-header", "garbage-pages", "garbage"]


def _kept(data_dir: Path) -> list[Path]:
    return sorted(data_dir.glob(f"{DB_NAME}.broken-*"))


@pytest.mark.parametrize("damage", DAMAGES)
async def test_the_app_says_where_the_damaged_file_went_and_goes_on(
        data_dir: Path, deck: Deck, damage: str) -> None:
    broken = _damaged(data_dir, deck, damage)
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, StartScreen)
        kept = _kept(data_dir)
        assert len(kept) == 1 and kept[0].read_bytes() == broken  # moved, byte for byte
        assert re.fullmatch(rf"{re.escape(DB_NAME)}\.broken-\d{{8}}-\d{{6}}(-\d+)?",
                            kept[0].name)
        messages = [str(n.message) for n in app._notifications]
        about = [m for m in messages if str(kept[0]) in m]
        assert len(about) == 1 and "vioittunut" in about[0] and "\n" not in about[0]
        assert app.store_error is None and app.store.sessions() == []  # a new, empty store
        await pilot.press("n")  # and it takes a new workshop
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.session_id is not None
    with Store(data_dir) as store:
        assert store.moved_aside is None and len(store.sessions()) == 1
    assert _kept(data_dir)[0].read_bytes() == broken


@pytest.mark.parametrize("damage", ["truncated-half", "garbage"])
def test_the_command_line_says_it_in_one_line_and_never_overwrites(
        data_dir: Path, deck: Deck, damage: str) -> None:
    first = _damaged(data_dir, deck, damage)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["sessions", "--data-dir", str(data_dir)]) == 0
    kept = _kept(data_dir)
    lines = err.getvalue().splitlines()
    assert len(kept) == 1 and len(lines) == 1
    assert str(kept[0]) in lines[0] and "vioittunut" in lines[0]
    # Damaged again (a second bad day): a second file beside the first, the first untouched.
    (data_dir / DB_NAME).unlink()
    second = _damaged(data_dir, deck, "garbage-header")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["sessions", "--data-dir", str(data_dir), "--lang", "en"]) == 0
    kept = _kept(data_dir)
    assert len(kept) == 2
    assert sorted(p.read_bytes() for p in kept) == sorted([first, second])
    line = err.getvalue().strip()
    assert "\n" not in line and "damaged" in line and any(str(p) in line for p in kept)
