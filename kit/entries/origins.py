"""`origins`: the sessions a merged session was made of (kit/merge.py writes it first).

Only each source session's id and creation time, never what it held: enough for a later
merge or regional view to refuse counting the same room twice (a merged session together
with one of its own rooms). It changes no tally and cannot be undone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kit.entries.base import EntryKind, _keys, bare
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.session import SessionState

MAX_ORIGINS = 10_000


def check_origins(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    _keys("origins", data, {"sessions"})
    sessions = data["sessions"]
    if not isinstance(sessions, list) or not 0 < len(sessions) <= MAX_ORIGINS:
        raise KitError("input.bad_entry", kind="origins")
    out = []
    for item in sessions:
        if not isinstance(item, Mapping) or set(item) != {"id", "created"} or not all(
                isinstance(item[k], str) and 0 < len(item[k]) <= 100 for k in ("id", "created")):
            raise KitError("input.bad_entry", kind="origins")
        out.append({"id": item["id"], "created": item["created"]})
    return {"sessions": out}


def apply_origins(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    """Nothing to count: `kit.across` reads the entry itself."""


ORIGINS = EntryKind("origins", check_origins, apply_origins, bare("origins"), leaves_views=True)
