"""Which workshop was open when the app last stopped, so that starting again goes straight back.

A laptop that runs out of battery, or an app closed with ctrl+q in the middle of a workshop,
should come back where it was, not on the start screen. The data folder holds one small file
naming the session that is open; it is written when a session opens and removed when the
facilitator goes back to the start screen, so only a workshop that was left open is resumed.

The file is a convenience: a folder that cannot be written (read-only, a full disk) simply
means the start screen next time, never an error.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

NAME = "open-session"
_ID = re.compile(r"[0-9A-Za-z-]{1,64}")


def left_open(data_dir: Path) -> str | None:
    """The id of the session left open, if the file names one."""
    try:
        text = (data_dir / NAME).read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if _ID.fullmatch(text) else None


def mark_open(data_dir: Path, session_id: str | None) -> None:
    """Remember `session_id` as open (None: the facilitator went back to the start screen)."""
    path = data_dir / NAME
    with contextlib.suppress(OSError):
        if session_id is None:
            path.unlink(missing_ok=True)
            return
        temporary = path.with_name(f".{NAME}.part")
        temporary.write_text(session_id + "\n", "ascii")
        os.replace(temporary, path)
