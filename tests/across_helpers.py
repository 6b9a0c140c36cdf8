"""Rooms for the tests across workshops: sessions recorded through the store like a workshop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kit.deck import Deck
from kit.exports import jsonfile
from kit.store import Store


@dataclass
class Room:
    """What one room did: (group, practice, level, n) hands, (group, practice, n) dots,
    comments (text, practice or None, group or None), actions (what, practice or None),
    secret ballots of the first area ({practice: level}, {practice: dots})."""

    place: str
    groups: Sequence[str] = ("Ryhmä 1",)
    hands: Sequence[tuple[int, str, str, int]] = ()
    dots: Sequence[tuple[int, str, int]] = ()
    comments: Sequence[tuple[str, str | None, int | None]] = ()
    actions: Sequence[tuple[str, str | None]] = ()
    ballots: Sequence[tuple[dict[str, str], dict[str, int]]] = field(default_factory=tuple)


def record(store: Store, deck: Deck, room: Room, **settings: object) -> str:
    """The room as a session of `store`, every entry through its `SessionHandle`."""
    session_id = store.create_session(deck, place=room.place, groups=list(room.groups),
                                      **settings)  # type: ignore[arg-type]
    handle = store.session(session_id)
    for group, practice, level, n in room.hands:
        handle.record_rating(group, practice, level, n)
    for group, practice, n in room.dots:
        handle.record_dots(group, practice, n)
    for text, practice, group in room.comments:
        area = deck.practice(practice).area_id if practice else None
        handle.add_comment(text, "idea", practice_id=practice, area_id=area, group_id=group)
    for what, practice in room.actions:
        handle.add_action(what, "hallitus", "kevät", practice)
    area = handle.snapshot.meta.area_ids[0]
    for ratings, dots in room.ballots:
        handle.cast_ballot(area, ratings, dots)
    return session_id


def export(store: Store, session_id: str, path: Path) -> Path:
    path.write_text(jsonfile.dumps(store.snapshot(session_id), store.entries(session_id)),
                    encoding="utf-8")
    return path
