"""The region benchmark's memory figure is each child's own peak, not the largest so far."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import measured  # noqa: E402


def test_each_child_reports_its_own_peak() -> None:
    touch = "b = bytearray(80 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    _, big = measured([sys.executable, "-c", touch])
    _, small = measured([sys.executable, "-c", "pass"])
    assert big >= 80 > small > 0
