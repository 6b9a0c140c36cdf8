"""`tyopaja room` as a real process, for the tests that need the command itself."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = ("--bind", "127.0.0.1", "--port", "0")


@asynccontextmanager
async def room_process(data_dir: Path, *args: str, where: tuple[str, ...] = LOOPBACK
                       ) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """`tyopaja room ARGS` running: the process and the join address it printed first."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "kit", "--data-dir", str(data_dir), "room", *args, *where,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        if not line:
            _out, err = await process.communicate()
            raise AssertionError(f"room did not start: {err.decode()}")
        yield process, line.decode().strip()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
