"""The region benchmark's memory figure is each child's own peak: not the largest of all
children so far, and not the size of the process that started it (a forked child starts as
a copy of its parent, and Linux counts that copy in the child's peak)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import measured  # noqa: E402


def test_each_child_reports_its_own_peak() -> None:
    ballast = bytearray(120 * 1024 * 1024)  # the parent grows past what any child here uses
    ballast[::4096] = b"x" * len(ballast[::4096])
    touch = "b = bytearray(80 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    _, big = measured([sys.executable, "-c", touch])
    _, small = measured([sys.executable, "-c", "pass"])
    assert big >= 80 > 40 > small > 0
    del ballast
