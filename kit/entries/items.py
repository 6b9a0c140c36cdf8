"""What comments and action items have in common: a new item, an edit, a removal.

A new item is taken back by its own id and an edit or removal by the id of what it changed,
so the undo stack keeps no text twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from kit.entries.base import EntryKind, _keys, _Versions, live_target, named

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


Check = Callable[[str, "SessionState", Mapping[str, Any], dict[str, int]], dict[str, Any]]
Build = Callable[[int, Mapping[str, Any]], Any]


def item_kinds(name: str, items: Items, build: Build,
               check: Check) -> tuple[EntryKind, EntryKind, EntryKind]:
    """The three kinds of an editable item (`name`, `name_edit`, `name_remove`): `check`
    validates a new item's or an edit's fields, `build` makes the item from them."""

    def check_new(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
        return check(name, state, data, {})

    def check_edit(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
        return check(f"{name}_edit", state, data, live_target(data, items(state), name))

    def check_remove(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
        target = live_target(data, items(state), name)
        _keys(f"{name}_remove", data, set(target))
        return target

    def apply_new(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
        items(state)[entry_id] = _Versions(entry_id, build(entry_id, data))

    def apply_edit(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
        item = items(state).get(data["target"])
        if item is not None:
            item.versions.append((entry_id, build(data["target"], data)))

    change = {"undo": undo_change(items), "pack": pack_target, "unpack": unpack_target}
    return (
        EntryKind(name, check_new, apply_new, named(name), undo=undo_new(items),
                  pack=pack_new, unpack=unpack_new),
        EntryKind(f"{name}_edit", check_edit, apply_edit, named(f"{name}_edit"), **change),
        EntryKind(f"{name}_remove", check_remove, apply_remove(items),
                  named(f"{name}_remove"), **change),
    )
