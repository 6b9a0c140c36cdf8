"""Handing a file to the operating system: print it on the default printer, or open it.

Every call has a time limit and every failure is one `KitError` line ("no printer", "no
viewer"), because a meeting must never hang on a missing printer driver.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kit.errors import KitError

TIMEOUT = 15.0


def print_file(path: Path, timeout: float = TIMEOUT) -> str:
    """Send `path` to the default printer; returns what the print system said (one line)."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        try:
            os.startfile(str(path), "print")  # type: ignore[attr-defined]
        except OSError as exc:
            raise KitError("print.failed", detail=exc.strerror or str(exc)) from None
        return ""
    lp = shutil.which("lp")
    if lp is None:
        raise KitError("print.no_system")
    try:
        result = subprocess.run([lp, "--", str(path)], capture_output=True, text=True,
                                timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise KitError("print.timeout", seconds=int(timeout)) from None
    except OSError as exc:
        raise KitError("print.failed", detail=exc.strerror or str(exc)) from None
    said = (result.stderr or result.stdout or "").strip().splitlines()
    if result.returncode != 0:
        detail = said[0] if said else str(result.returncode)
        key = _lp_refusal(detail)
        if key == "print.no_printer" and not _scheduler_running():
            key = "print.no_scheduler"  # lp cannot tell: with no service it knows no printer
        raise KitError(key, detail=detail)
    return said[0] if said else ""


def _scheduler_running() -> bool:
    """Whether the print service answers (`lpstat -r`); asked only after `lp` refused."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return True  # nothing to ask: keep what lp said
    try:
        result = subprocess.run([lpstat, "-r"], capture_output=True, text=True, timeout=5,
                                stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return True
    return "not running" not in (result.stdout + result.stderr).lower()


def _lp_refusal(said: str) -> str:
    """What `lp`'s English refusal means for the facilitator (its words are never shown)."""
    low = said.lower()
    if "not accepting" in low or "paused" in low or "stopped" in low:
        return "print.not_accepting"  # the printer exists but takes no jobs now
    if "scheduler" in low or "connect" in low or "no such file" in low:
        return "print.no_scheduler"  # the print service is not running
    if "destination" in low:
        return "print.no_printer"  # no printer set up, or none chosen as the default
    return "print.failed"


def open_path(path: Path, timeout: float = 5.0) -> None:
    """Show a file or folder in the system's default program (without waiting for it)."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        try:
            os.startfile(str(path))  # type: ignore[attr-defined]
        except OSError as exc:
            raise KitError("open.failed", detail=exc.strerror or str(exc)) from None
        return
    opener = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    if opener is None:
        raise KitError("open.no_viewer")
    try:
        process = subprocess.Popen([opener, str(path)], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)
    except OSError as exc:
        raise KitError("open.failed", detail=exc.strerror or str(exc)) from None
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        return  # still running: the viewer is open
    if process.returncode != 0:
        lines = (err or "").strip().splitlines()
        raise KitError("open.failed", detail=lines[0] if lines else str(process.returncode))
