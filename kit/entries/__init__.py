"""Every kind of log entry, in one table.

A kind is an `EntryKind` (see `kit.entries.base`): how its data is checked, how it folds into
the session's tallies, whether and how it is taken back and kept on the undo stack, and how
the status line says it. `kit.session`, `kit.store` and `kit.view` look kinds up here and
nowhere else, so a new kind is its module (or a few lines in one) plus a line in `KINDS`.
"""

from __future__ import annotations

from kit.entries.actions import ACTION, ACTION_EDIT, ACTION_REMOVE
from kit.entries.base import EntryKind
from kit.entries.comments import COMMENT, COMMENT_EDIT, COMMENT_REMOVE
from kit.entries.control import STEP, TIMER, UNDO
from kit.entries.origins import ORIGINS
from kit.entries.votes import DOTS, RATING

KINDS: dict[str, EntryKind] = {
    kind.name: kind
    for kind in (
        RATING, DOTS,
        COMMENT, COMMENT_EDIT, COMMENT_REMOVE,
        ACTION, ACTION_EDIT, ACTION_REMOVE,
        UNDO, STEP, TIMER,
        ORIGINS,
    )
}

__all__ = ["KINDS", "EntryKind"]
