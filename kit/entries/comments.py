"""Comments: `comment` (a new one), `comment_edit` and `comment_remove`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kit.entries.base import (
    MAX_COMMENT,
    TAGS,
    Comment,
    _keys,
    _Versions,
    require_text,
)
from kit.entries.items import item_kinds
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


COMMENT, COMMENT_EDIT, COMMENT_REMOVE = item_kinds("comment", _comments, _comment, _check)
