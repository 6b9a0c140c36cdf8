"""The benchmark's own parts still work (no timing is asserted: numbers live in bench/run.py)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from kit.deck import Deck
from kit.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import interleaved, metric, p95, paired  # noqa: E402


def run_child(*args: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "children.py"), *args],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_targets_need_both_the_ratio_and_the_limit() -> None:
    assert metric("x", 40, "ms", 30, "base", 10, 2, 50).ok
    assert not metric("x", 70, "ms", 60, "base", 10, 2, 50).ok  # ratio fine, limit not
    assert not metric("x", 3, "s", 1, "base", 10, 2).ok
    assert metric("x", 3, "s", 1, "base", 10, 2).ratio == 3
    assert p95([float(n) for n in range(1, 101)]) == 95


def test_paired_runs_are_compared_pair_by_pair() -> None:
    """A slow spell that hits one pair leaves the ratio alone; medians of each would not."""
    ours, baseline = [2.0, 3.0, 30.0], [1.0, 3.0, 10.0]  # the third pair ran in a slow spell
    assert statistics.median(ours) / statistics.median(baseline) == 1
    assert paired(ours, baseline) == 2
    assert metric("x", 3, "s", 3, "base", 3, 1.5, ratio=paired(ours, baseline)).ok is False
    assert interleaved(2, lambda: 1.0, lambda: 2.0) == [[1.0, 1.0], [2.0, 2.0]]


def test_key_presses_are_timed_until_the_entry_is_stored(data_dir: Path, deck: Deck) -> None:
    with Store(data_dir) as store:
        session = store.create_session(deck, association="Mittaus ry", date="2027-03-12",
                                       groups=["A", "B"])
        store.session(session).record_step("area", "osallisuus")
    out = run_child("keys", str(data_dir), session, "6")
    assert len(out["latencies"]) == 6  # type: ignore[arg-type]
    with Store(data_dir) as store:
        snapshot = store.snapshot(session)
    assert sum(snapshot.ratings.values()) == 5 and sum(snapshot.dots.values()) == 1


def test_the_bare_app_is_timed_as_the_kit_is() -> None:
    """The baseline for key presses: every press counted and timed, none lost on the way."""
    out = run_child("bare-keys", "6")
    latencies = out["latencies"]
    assert isinstance(latencies, list) and len(latencies) == 6
    assert all(0 < float(t) < 10 for t in latencies)


def test_both_key_children_share_one_way_of_timing() -> None:
    import bench.children as children

    for kind in ("keys", "bare-keys"):
        assert "time_presses" in children.KINDS[kind].__code__.co_names, kind
    # The room's keys too: the same press, the same clock, the same settled app.
    assert "press" in children.press_in_turn.__code__.co_names
    assert {"press", "shown_app"} <= set(children.room_presses.__code__.co_names)


def test_the_room_child_drives_forty_phones_and_the_keys(data_dir: Path, deck: Deck) -> None:
    """Two bursts of forty (and a lone phone each time) on 127.0.0.1 while keys are pressed
    on the area screen: every ballot counted once and in the area's totals at the end."""
    with Store(data_dir) as store:
        session = store.create_session(deck, association="Mittaus ry", date="2027-03-12",
                                       groups=["A", "B"])
        store.session(session).record_step("area", "osallisuus")
    out = run_child("room-burst", str(data_dir), session, "2")
    assert len(out["alone"]) == 2 and len(out["totals"]) == 2  # type: ignore[arg-type]
    assert len(out["replies"]) == 80 and out["ballots"] == 82  # type: ignore[arg-type]
    assert out["idle"]  # keys were timed in the quiet spells
    assert all(0 < float(t) < 30 for key in ("alone", "totals", "replies", "idle", "during")
               for t in out[key])  # type: ignore[attr-defined]
    with Store(data_dir) as store:
        handle = store.session(session)
        assert handle.round_count("osallisuus") is None  # closed
        snapshot = store.snapshot(session)
    assert snapshot.ballot_totals("osallisuus").ballots == 82
    assert snapshot.entry_count > 0  # the keys' entries


def test_the_phones_send_forty_different_ballots() -> None:
    from bench.phones import ballots_for

    info = {"practices": [{"id": f"p{n}"} for n in range(5)],
            "levels": [{"id": level} for level in ("a", "b", "c", "d")], "dots": 3}
    ballots = ballots_for(info)
    assert len({json.dumps(b, sort_keys=True) for b in ballots}) == 40
    assert all(b["ratings"] and sum(b["dots"].values()) <= 3 for b in ballots)


def test_the_app_child_reaches_its_first_screen(data_dir: Path) -> None:
    out = run_child("app", str(data_dir))
    assert float(out["peak_kib"]) > 0  # type: ignore[arg-type]
