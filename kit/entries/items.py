"""What comments and action items have in common: a new item, an edit, a removal.

A new item is taken back by its own id and an edit or removal by the id of what it changed,
so the undo stack keeps no text twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from kit.entries.base import _Versions

if TYPE_CHECKING:
    from kit.entries.base import Entry
    from kit.session import SessionState

Items = Callable[["SessionState"], dict[int, _Versions]]


def pack_new(data: Mapping[str, Any]) -> tuple[Any, ...]:
    return ()


def unpack_new(item: tuple[Any, ...]) -> dict[str, Any]:
    return {}


def pack_target(data: Mapping[str, Any]) -> tuple[Any, ...]:
    return (data["target"],)


def unpack_target(item: tuple[Any, ...]) -> dict[str, Any]:
    return {"target": item[0]}


def undo_new(items: Items) -> Callable[[SessionState, Entry], None]:
    def undo(state: SessionState, target: Entry) -> None:
        items(state).pop(target.id, None)

    return undo


def undo_change(items: Items) -> Callable[[SessionState, Entry], None]:
    def undo(state: SessionState, target: Entry) -> None:
        item = items(state).get(target.data["target"])
        if item is not None:
            item.drop(target.id)

    return undo


def apply_remove(items: Items) -> Callable[[SessionState, int, Mapping[str, Any]], None]:
    def apply(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
        item = items(state).get(data["target"])
        if item is not None:
            item.versions.append((entry_id, None))

    return apply
