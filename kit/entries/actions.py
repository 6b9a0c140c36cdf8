"""Action items: `action` (a new one), `action_edit` and `action_remove`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kit.entries.base import (
    MAX_ACTION,
    MAX_DUE,
    MAX_WHO,
    ActionItem,
    _keys,
    _Versions,
    optional_text,
    require_text,
)
from kit.entries.items import item_kinds

if TYPE_CHECKING:
    from kit.session import SessionState


def _actions(state: SessionState) -> dict[int, _Versions]:
    return state.actions


def _action(action_id: int, data: Mapping[str, Any]) -> ActionItem:
    return ActionItem(action_id, data["what"], data.get("who", ""), data.get("due", ""),
                      data.get("practice"))


def _check(kind: str, state: SessionState, data: Mapping[str, Any],
           target: dict[str, int]) -> dict[str, Any]:
    _keys(kind, data, {"what", "who", "due", "practice"} | target.keys())
    practice = data["practice"]
    if practice is not None:
        state.practice_in_session(practice)
    return {
        **target,
        "what": require_text(data["what"], "what", MAX_ACTION),
        "who": optional_text(data["who"], "who", MAX_WHO),
        "due": optional_text(data["due"], "due", MAX_DUE),
        "practice": practice,
    }


ACTION, ACTION_EDIT, ACTION_REMOVE = item_kinds("action", _actions, _action, _check)
