"""Comments: `comment` (a new one), `comment_edit` and `comment_remove`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kit.entries.base import (
    MAX_COMMENT,
    TAGS,
    Comment,
    EntryKind,
    _keys,
    _Versions,
    live_target,
    named,
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
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.session import SessionState


def _comments(state: SessionState) -> dict[int, _Versions]:
    return state.comments


def _comment(comment_id: int, data: Mapping[str, Any]) -> Comment:
    return Comment(
        comment_id, data["text"], data["tag"], data.get("area"), data.get("practice"),
        data.get("group"),
    )


def _check(kind: str, state: SessionState, data: Mapping[str, Any],
           target: dict[str, int]) -> dict[str, Any]:
    _keys(kind, data, {"text", "tag", "practice", "area", "group"} | target.keys())
    text = require_text(data["text"], "comment", MAX_COMMENT, multiline=True)
    if data["tag"] not in TAGS:
        raise KitError("input.bad_tag", value=data["tag"])
    practice, area = data["practice"], data["area"]
    if practice is not None:
        area = state.practice_in_session(practice).area_id
    elif area is not None:
        state.area_in_session(area)
    group = None if data["group"] is None else state.check_group(data["group"])
    return {**target, "text": text, "tag": data["tag"], "practice": practice, "area": area,
            "group": group}


def check_comment(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    return _check("comment", state, data, {})


def check_comment_edit(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    return _check("comment_edit", state, data, live_target(data, state.comments, "comment"))


def check_comment_remove(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    target = live_target(data, state.comments, "comment")
    _keys("comment_remove", data, set(target))
    return target


def apply_comment(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    state.comments[entry_id] = _Versions(entry_id, _comment(entry_id, data))


def apply_comment_edit(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    item = state.comments.get(data["target"])
    if item is not None:
        item.versions.append((entry_id, _comment(data["target"], data)))


COMMENT = EntryKind("comment", check_comment, apply_comment, named("comment"),
                    undo=undo_new(_comments), pack=pack_new, unpack=unpack_new)
COMMENT_EDIT = EntryKind("comment_edit", check_comment_edit, apply_comment_edit,
                         named("comment_edit"), undo=undo_change(_comments), pack=pack_target,
                         unpack=unpack_target)
COMMENT_REMOVE = EntryKind("comment_remove", check_comment_remove, apply_remove(_comments),
                           named("comment_remove"), undo=undo_change(_comments),
                           pack=pack_target, unpack=unpack_target)
