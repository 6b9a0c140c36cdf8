"""Votes: a show of hands (`rating`: n people of a group at a level) and `dots`.

A long session's log is mostly these, so `apply` is kept to one dict update and `pack` to the
four (three) parts a vote is made of: the undo stack shares equal ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kit.entries.base import EntryKind, _delta, _ident, _keys, group_name, level_heading
from kit.errors import KitError
from kit.i18n import t

if TYPE_CHECKING:
    from kit.entries.base import Entry
    from kit.session import SessionState, Snapshot


# --- rating ----------------------------------------------------------------------------------


def check_rating(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    _keys("rating", data, {"group", "practice", "level", "delta"})
    group = state.check_group(data["group"])
    practice = state.practice_in_session(data["practice"]).id
    level = state.deck.level(_ident(data["level"], "level")).id
    delta = _delta(data["delta"])
    current = state.ratings.get((group, practice, level), 0)
    if current + delta < 0:
        raise KitError("input.below_zero", count=current)
    return {"group": group, "practice": practice, "level": level, "delta": delta}


def apply_rating(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    state.ratings[(data["group"], data["practice"], data["level"])] += data["delta"]


def undo_rating(state: SessionState, target: Entry) -> None:
    data = target.data
    state.ratings[(data["group"], data["practice"], data["level"])] -= data["delta"]


def pack_rating(data: Mapping[str, Any]) -> tuple[Any, ...]:
    return (data["group"], data["practice"], data["level"], data["delta"])


def unpack_rating(item: tuple[Any, ...]) -> dict[str, Any]:
    return {"group": item[0], "practice": item[1], "level": item[2], "delta": item[3]}


def describe_rating(snapshot: Snapshot, data: Mapping[str, Any], lang: str) -> str:
    practice = snapshot.deck.practice(data["practice"])
    level = snapshot.deck.level(data["level"])
    return t("entry.rating", lang, group=group_name(snapshot.meta, data["group"], lang),
             card=practice.card_id, level=level_heading(level, lang),
             delta=f"{data['delta']:+d}")


RATING = EntryKind("rating", check_rating, apply_rating, describe_rating, undo=undo_rating,
                   pack=pack_rating, unpack=unpack_rating, leaves_views=True)


# --- dots ------------------------------------------------------------------------------------


def check_dots(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    _keys("dots", data, {"group", "practice", "delta"})
    group = state.check_group(data["group"])
    practice = state.practice_in_session(data["practice"]).id
    delta = _delta(data["delta"])
    current = state.dots.get((group, practice), 0)
    if current + delta < 0:
        raise KitError("input.below_zero", count=current)
    return {"group": group, "practice": practice, "delta": delta}


def apply_dots(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    state.dots[(data["group"], data["practice"])] += data["delta"]


def undo_dots(state: SessionState, target: Entry) -> None:
    data = target.data
    state.dots[(data["group"], data["practice"])] -= data["delta"]


def pack_dots(data: Mapping[str, Any]) -> tuple[Any, ...]:
    return (data["group"], data["practice"], data["delta"])


def unpack_dots(item: tuple[Any, ...]) -> dict[str, Any]:
    return {"group": item[0], "practice": item[1], "delta": item[2]}


def describe_dots(snapshot: Snapshot, data: Mapping[str, Any], lang: str) -> str:
    practice = snapshot.deck.practice(data["practice"])
    return t("entry.dots", lang, group=group_name(snapshot.meta, data["group"], lang),
             card=practice.card_id, delta=f"{data['delta']:+d}")


DOTS = EntryKind("dots", check_dots, apply_dots, describe_dots, undo=undo_dots,
                 pack=pack_dots, unpack=unpack_dots, leaves_views=True)
