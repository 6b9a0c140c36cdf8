"""Action items: `action` (a new one), `action_edit` and `action_remove`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kit.entries.base import (
    MAX_ACTION,
    MAX_DUE,
    MAX_WHO,
    ActionItem,
    EntryKind,
    _keys,
    _Versions,
    live_target,
    named,
    optional_text,
    require_text,
)
from kit.entries.items import (
    apply_remove,
    pack_new,
    pack_target,
    undo_change,
    undo_new,
    unpack_new,
    unpack_target,
)

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


def check_action(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    return _check("action", state, data, {})


def check_action_edit(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    return _check("action_edit", state, data, live_target(data, state.actions, "action"))


def check_action_remove(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    target = live_target(data, state.actions, "action")
    _keys("action_remove", data, set(target))
    return target


def apply_action(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    state.actions[entry_id] = _Versions(entry_id, _action(entry_id, data))


def apply_action_edit(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    item = state.actions.get(data["target"])
    if item is not None:
        item.versions.append((entry_id, _action(data["target"], data)))


ACTION = EntryKind("action", check_action, apply_action, named("action"),
                   undo=undo_new(_actions), pack=pack_new, unpack=unpack_new)
ACTION_EDIT = EntryKind("action_edit", check_action_edit, apply_action_edit,
                        named("action_edit"), undo=undo_change(_actions), pack=pack_target,
                        unpack=unpack_target)
ACTION_REMOVE = EntryKind("action_remove", check_action_remove, apply_remove(_actions),
                          named("action_remove"), undo=undo_change(_actions), pack=pack_target,
                          unpack=unpack_target)
