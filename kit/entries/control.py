"""The facilitator's controls: `undo` (take back the last undoable entry), `step` (where the
workshop is) and `timer` (the area timer as saved). None of them can itself be undone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kit.entries.base import STEPS, EntryKind, Step, TimerState, _keys, bare
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.session import SessionState


# --- undo ------------------------------------------------------------------------------------


def check_undo(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    _keys("undo", data, {"target"})
    last = state.last_undoable()
    if last is None or data["target"] != last.id:
        raise KitError("input.bad_undo")
    return {"target": last.id}


def apply_undo(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    state._undo(data["target"])


# Not `leaves_views`: taking back a comment or an action item changes what the lists show.
UNDO = EntryKind("undo", check_undo, apply_undo, bare("undo"))


# --- step ------------------------------------------------------------------------------------


def check_step(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    if not {"screen", "area"} <= set(data) <= {"screen", "area", "group", "practice"}:
        raise KitError("input.bad_entry", kind="step")
    if data["screen"] not in STEPS:
        raise KitError("input.bad_step", value=data["screen"])
    if data["area"] is not None:
        state.area_in_session(data["area"])
    step = {"screen": data["screen"], "area": data["area"]}
    if "group" in data:
        group = data["group"]
        if (isinstance(group, bool) or not isinstance(group, int)
                or (group != 0 and group not in {g.id for g in state.meta.groups})):
            raise KitError("input.bad_entry", kind="step")
        step["group"] = group
    if "practice" in data:
        practice = state.practice_in_session(data["practice"])
        if practice.area_id != data["area"]:
            raise KitError("input.bad_entry", kind="step")
        step["practice"] = practice.id
    return step


def apply_step(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    state.step = Step(data["screen"], data.get("area"), data.get("group"), data.get("practice"))


STEP = EntryKind("step", check_step, apply_step, bare("step"), leaves_views=True)


# --- timer -----------------------------------------------------------------------------------


def check_timer(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    _keys("timer", data, {"area", "remaining_ms", "running", "wall"})
    state.area_in_session(data["area"])
    remaining = data["remaining_ms"]
    if isinstance(remaining, bool) or not isinstance(remaining, int) or not (
        0 <= remaining <= 24 * 3600 * 1000
    ):
        raise KitError("input.bad_number", value=remaining)
    if not isinstance(data["running"], bool) or isinstance(data["wall"], bool) or (
        not isinstance(data["wall"], int | float)
    ):
        raise KitError("input.bad_entry", kind="timer")
    return TimerState.from_dict(data).to_dict()


def apply_timer(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    timer = TimerState.from_dict(data)
    state.timers[timer.area_id] = timer


TIMER = EntryKind("timer", check_timer, apply_timer, bare("timer"), leaves_views=True)
