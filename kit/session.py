"""A workshop session in the facilitator's words: its settings, its log, what the log adds up to.

The store appends entries to a log; `SessionState` folds each entry into running tallies, so a
key press costs the same whether the log holds ten entries or a hundred thousand. Screens and
exports read a frozen `Snapshot`; nothing here knows about SQLite, Textual or reportlab.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kit.deck import Area, Deck, Practice
from kit.entries import KINDS, EntryKind
from kit.entries.base import (  # re-exported: `from kit.session import Comment` still works
    MAX_ACTION,
    MAX_COMMENT,
    MAX_DELTA,
    MAX_DUE,
    MAX_NAME,
    MAX_WHO,
    STEPS,
    TAGS,
    ActionItem,
    Comment,
    Entry,
    Step,
    TimerState,
    _ident,
    _Versions,
    clean_text,
    optional_text,
    require_text,
)
from kit.errors import KitError

__all__ = [
    "MAX_ACTION", "MAX_COMMENT", "MAX_DELTA", "MAX_DUE", "MAX_GROUPS", "MAX_NAME", "MAX_WHO",
    "STEPS", "TAGS", "UNDOABLE", "ActionItem", "BallotTotals", "Comment", "Entry", "Group",
    "PracticeTally", "SessionMeta", "SessionState", "Snapshot", "Step", "TimerState",
    "clean_text", "comment_area", "count_comments", "new_meta", "optional_text",
    "require_text", "validate_meta",
]

MAX_GROUPS = 20

# The kinds that can be taken back, as the table of kinds says (`kit.entries.KINDS`).
UNDOABLE: frozenset[str] = frozenset(name for name, kind in KINDS.items() if kind.undoable)


@dataclass(frozen=True)
class Group:
    id: int
    name: str


@dataclass(frozen=True)
class SessionMeta:
    """What the set-up screen edits: who, when, where, and how the workshop runs."""

    id: str
    created: str
    lang: str
    association: str
    title: str
    date: str
    place: str
    facilitator: str
    area_ids: tuple[str, ...]
    dots: int
    minutes: int
    groups: tuple[Group, ...]

    def group(self, group_id: int) -> Group:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KitError("session.no_such_group", id=group_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": self.created,
            "lang": self.lang,
            "association": self.association,
            "title": self.title,
            "date": self.date,
            "place": self.place,
            "facilitator": self.facilitator,
            "areas": list(self.area_ids),
            "dots": self.dots,
            "minutes": self.minutes,
            "groups": [{"id": g.id, "name": g.name} for g in self.groups],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionMeta:
        return cls(
            id=str(data["id"]),
            created=str(data["created"]),
            lang=str(data["lang"]),
            association=str(data["association"]),
            title=str(data["title"]),
            date=str(data["date"]),
            place=str(data["place"]),
            facilitator=str(data["facilitator"]),
            area_ids=tuple(str(a) for a in data["areas"]),
            dots=int(data["dots"]),
            minutes=int(data["minutes"]),
            groups=tuple(Group(int(g["id"]), str(g["name"])) for g in data["groups"]),
        )


@dataclass(frozen=True)
class BallotTotals:
    """The anonymous sum of an area's secret ballots: counts only, never single ballots."""

    ballots: int = 0
    ratings: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (practice, level)
    dots: Mapping[str, int] = field(default_factory=dict)


# --- tallies ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeTally:
    """The numbers of one practice: counts per level, dots, comments."""

    practice: Practice
    levels: Mapping[str, int]  # level id -> count (groups and ballots, or one group)
    dots: int
    comments: int

    @property
    def answers(self) -> int:
        return sum(self.levels.values())


def count_comments(comments: Iterable[Comment]) -> dict[tuple[str, int | None], int]:
    """Comments per (practice, None) for all groups and per (practice, group)."""
    counts: dict[tuple[str, int | None], int] = defaultdict(int)
    for comment in comments:
        if comment.practice_id is not None:
            counts[(comment.practice_id, None)] += 1
            if comment.group_id is not None:
                counts[(comment.practice_id, comment.group_id)] += 1
    return dict(counts)


class SessionState:
    """Running tallies folded from the log, one entry at a time (`apply`)."""

    def __init__(self, meta: SessionMeta, deck: Deck) -> None:
        self.meta = meta
        self.deck = deck
        self.last_id = 0
        self.count = 0
        self.ratings: dict[tuple[int, str, str], int] = defaultdict(int)
        self.dots: dict[tuple[int, str], int] = defaultdict(int)
        self.comments: dict[int, _Versions] = {}
        self.actions: dict[int, _Versions] = {}
        self.undoable = _UndoStack()
        self.step: Step | None = None
        self.timers: dict[str, TimerState] = {}
        self.ballots: dict[str, BallotTotals] = {}
        # Comments and action items as a snapshot shows them, kept until one of them changes:
        # rebuilding them on every key press would make a vote cost more as the log grows.
        self._views: tuple[tuple[Comment, ...], tuple[ActionItem, ...],
                           dict[tuple[str, int | None], int]] | None = None
        # The table of kinds as plain functions, looked up once per row: opening a long
        # session folds every row, and a method found through a dataclass would cost more.
        self._folds: dict[str, _Fold] = {name: _fold(name, k) for name, k in KINDS.items()}
        self._push = self.undoable.push_item

    # folding ---------------------------------------------------------------------------------

    def apply(self, entry: Entry) -> None:
        self.apply_row(entry.id, entry.kind, entry.data)

    def apply_row(self, entry_id: int, kind: str, data: Mapping[str, Any]) -> None:
        """`apply` without an Entry: opening a session folds every row of its log.

        What a kind does is its `EntryKind`'s (`kit.entries.KINDS`); a kind the table does not
        know (a newer kit's log) is counted and otherwise left alone.
        """
        if entry_id > self.last_id:
            self.last_id = entry_id
        self.count += 1
        fold = self._folds.get(kind)
        if fold is None:
            fold = self._fold_new_kind(kind)
        apply, leaves_views, pack, head = fold
        if not leaves_views:
            self._views = None
        if pack is not None:
            self._push(entry_id, head + pack(data))
        apply(self, entry_id, data)

    def _fold_new_kind(self, kind: str) -> _Fold:
        """A kind first seen: found in the table (one registered since), or unknown."""
        entry_kind = KINDS.get(kind)
        if entry_kind is None:
            return _IGNORE  # not kept: registering it later still takes effect
        fold = self._folds[kind] = _fold(kind, entry_kind)
        return fold

    def _undo(self, target_id: int) -> None:
        target = self.undoable.last()
        if target is None or target.id != target_id:
            return
        self.undoable.pop()
        undo = KINDS[target.kind].undo
        assert undo is not None  # only undoable kinds are on the stack
        undo(self, target)

    def last_undoable(self) -> Entry | None:
        return self.undoable.last()

    # validation (before anything is written) -------------------------------------------------

    def practice_in_session(self, practice_id: Any) -> Practice:
        if not isinstance(practice_id, str):
            raise KitError("session.no_such_practice", id=practice_id)
        practice = self.deck.practice(practice_id)
        if practice.area_id not in self.meta.area_ids:
            raise KitError("session.area_not_in_session", id=practice.area_id)
        return practice

    def area_in_session(self, area_id: Any) -> Area:
        if not isinstance(area_id, str) or area_id not in self.meta.area_ids:
            raise KitError("session.area_not_in_session", id=area_id)
        return self.deck.area(area_id)

    def check_group(self, group_id: Any) -> int:
        if isinstance(group_id, bool) or not isinstance(group_id, int):
            raise KitError("session.no_such_group", id=group_id)
        self.meta.group(group_id)
        return group_id

    def group_has_entries(self, group_id: int) -> bool:
        return any(k[0] == group_id and v for k, v in self.ratings.items()) or any(
            k[0] == group_id and v for k, v in self.dots.items()
        ) or any(
            (c := item.current()) is not None and c.group_id == group_id
            for item in self.comments.values()
        )

    def check(self, kind: str, data: Any) -> dict[str, Any]:
        """An entry's data validated against this session, cleaned; raises `KitError`.

        The store calls this before every write and import calls it for every entry, so an
        entry in the log is always one the session could have recorded.
        """
        if not isinstance(data, Mapping):
            raise KitError("input.bad_entry", kind=kind)
        entry_kind = KINDS.get(kind)
        if entry_kind is None:
            raise KitError("input.bad_entry", kind=kind)
        return entry_kind.check(self, data)

    def check_ballot(self, area_id: str, ratings: Any, dots: Any) -> None:
        """One person's ballot: levels for practices of the area and at most N dots."""
        area = self.area_in_session(area_id)
        if not isinstance(ratings, Mapping) or not isinstance(dots, Mapping):
            raise KitError("input.bad_entry", kind="ballot")
        ids = {p.id for p in area.practices}
        for practice_id, level_id in ratings.items():
            if practice_id not in ids:
                raise KitError("session.no_such_practice", id=practice_id)
            self.deck.level(_ident(level_id, "level"))
        for practice_id, count in dots.items():
            if practice_id not in ids:
                raise KitError("session.no_such_practice", id=practice_id)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise KitError("input.bad_number", value=count)
        if sum(dots.values()) > self.meta.dots:
            raise KitError("input.too_many_dots", limit=self.meta.dots)
        if not ratings and not any(dots.values()):
            # A ballot with no answer at all is not counted, whichever way it came (the
            # ballot box says so before it gets here; this keeps the totals honest anyway).
            raise KitError("input.blank_ballot")

    # reading ---------------------------------------------------------------------------------

    def _current_views(
        self,
    ) -> tuple[tuple[Comment, ...], tuple[ActionItem, ...], dict[tuple[str, int | None], int]]:
        if self._views is None:
            comments = tuple(
                c for item in self.comments.values() if (c := item.current()) is not None
            )
            actions = tuple(
                a for item in self.actions.values() if (a := item.current()) is not None
            )
            self._views = (comments, actions, count_comments(comments))
        return self._views

    def snapshot(self) -> Snapshot:
        comments, actions, comment_counts = self._current_views()
        return Snapshot(
            meta=self.meta,
            deck=self.deck,
            entry_count=self.count,
            last_id=self.last_id,
            ratings={k: v for k, v in self.ratings.items() if v},
            dots={k: v for k, v in self.dots.items() if v},
            comments=comments,
            actions=actions,
            ballots=dict(self.ballots),
            step=self.step,
            timers=dict(self.timers),
            can_undo=bool(self.undoable),
            comment_counts=comment_counts,
        )


class _UndoStack:
    """The entries that can still be taken back, newest last (only the last one can be).

    A long session's log is mostly votes and every one of them stays here. As a tuple and an
    int object each, a vote cost 120 bytes (1.9 MB for the benchmark's large session). Votes
    repeat (the same group, card, level and count again and again), so each different one is
    kept once and shared, and the ids go into an array of machine integers: 16 bytes a vote.
    A comment or an action item is taken back by its id alone, an edit or removal by the id of
    what it changed, so their texts are not kept twice. Each kind says what it keeps (its
    `EntryKind.pack`, given back by `unpack`): the stack keeps `(kind, *packed)`, shared.
    """

    __slots__ = ("_ids", "_items", "_shared")

    def __init__(self) -> None:
        self._ids = array("q")
        self._items: list[tuple[Any, ...]] = []
        self._shared: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def __bool__(self) -> bool:
        return bool(self._items)

    def push(self, entry_id: int, kind: str, data: Mapping[str, Any]) -> None:
        pack = KINDS[kind].pack
        assert pack is not None  # only undoable kinds are pushed
        self.push_item(entry_id, (kind, *pack(data)))

    def push_item(self, entry_id: int, item: tuple[Any, ...]) -> None:
        """`push` of an entry already packed: `(kind, *KINDS[kind].pack(data))`."""
        # True == 1 and 1.0 == 1: sharing would change what comes back, so only parts of
        # plain types are shared (and a list or a dict in a vote is never hashed).
        plain = _PLAIN.issuperset(map(type, item))
        shared = self._shared.get(item) if plain else item
        if shared is None:  # a new one: its strings shared with every other too
            shared = tuple(sys.intern(part) if type(part) is str else part for part in item)
            self._shared[shared] = shared
        self._ids.append(entry_id)
        self._items.append(shared)

    def last(self) -> Entry | None:
        if not self._items:
            return None
        item = self._items[-1]
        unpack = KINDS[item[0]].unpack
        assert unpack is not None
        return Entry(self._ids[-1], item[0], "", unpack(item[1:]))

    def pop(self) -> None:
        self._ids.pop()
        self._items.pop()


# How `SessionState.apply_row` folds a kind: (apply, leaves the views, pack or None, (kind,)).
_Fold = tuple[Callable[["SessionState", int, Mapping[str, Any]], None], bool,
              Callable[[Mapping[str, Any]], tuple[Any, ...]] | None, tuple[str]]


def _fold(name: str, kind: EntryKind) -> _Fold:
    return (kind.apply, kind.leaves_views, kind.pack, (name,))


def _ignore(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    """A kind this kit does not know (a newer kit's log): counted, otherwise left alone."""


_IGNORE: _Fold = (_ignore, False, None, ("",))

# Parts of a packed entry that are shared only with parts of the very same type.
_PLAIN = frozenset({str, int, type(None)})


@dataclass(frozen=True)
class Snapshot:
    """An immutable view of a session at one moment: what screens show and exports print."""

    meta: SessionMeta
    deck: Deck
    entry_count: int
    last_id: int
    ratings: Mapping[tuple[int, str, str], int]  # (group, practice, level) -> count
    dots: Mapping[tuple[int, str], int]  # (group, practice) -> dots
    comments: tuple[Comment, ...]
    actions: tuple[ActionItem, ...]
    ballots: Mapping[str, BallotTotals]  # area id -> anonymous totals
    step: Step | None
    timers: Mapping[str, TimerState]
    can_undo: bool
    # (practice, group or None for all) -> comments; counted once, not per practice per look.
    comment_counts: Mapping[tuple[str, int | None], int] | None = field(
        default=None, compare=False, repr=False)

    @property
    def areas(self) -> tuple[Area, ...]:
        """The session's areas in the session's order."""
        return tuple(self.deck.area(a) for a in self.meta.area_ids)

    def practices(self, area_id: str | None = None) -> list[Practice]:
        areas = [self.deck.area(area_id)] if area_id else self.areas
        return [p for area in areas for p in area.practices]

    def tally(self, practice_id: str, group_id: int | None = None) -> PracticeTally:
        """A practice's numbers: all groups and ballots together, or one group's."""
        practice = self.deck.practice(practice_id)
        levels: dict[str, int] = {}
        for level in self.deck.scale:
            if group_id is None:
                count = sum(self.ratings.get((g.id, practice_id, level.id), 0)
                            for g in self.meta.groups)
                count += self.ballot_totals(practice.area_id).ratings.get(
                    (practice_id, level.id), 0)
            else:
                count = self.ratings.get((group_id, practice_id, level.id), 0)
            levels[level.id] = count
        if group_id is None:
            dots = sum(self.dots.get((g.id, practice_id), 0) for g in self.meta.groups)
            dots += self.ballot_totals(practice.area_id).dots.get(practice_id, 0)
        else:
            dots = self.dots.get((group_id, practice_id), 0)
        comments = self._comment_counts().get((practice_id, group_id), 0)
        return PracticeTally(practice, levels, dots, comments)

    def _comment_counts(self) -> Mapping[tuple[str, int | None], int]:
        if self.comment_counts is None:  # a snapshot made by hand: count once and keep
            object.__setattr__(self, "comment_counts", count_comments(self.comments))
        assert self.comment_counts is not None
        return self.comment_counts

    def ballot_totals(self, area_id: str) -> BallotTotals:
        return self.ballots.get(area_id) or BallotTotals()

    def progress(self) -> tuple[str, int, int]:
        """(screen, area number 1-based or 0, number of areas) for lists and resume."""
        step = self.step or Step("setup")
        number = 0
        if step.area_id in self.meta.area_ids:
            number = self.meta.area_ids.index(step.area_id) + 1
        return step.screen, number, len(self.meta.area_ids)


def comment_area(deck: Deck, comment: Comment) -> str | None:
    if comment.practice_id is not None:
        return deck.practice(comment.practice_id).area_id
    return comment.area_id


def new_meta(
    deck: Deck,
    session_id: str,
    created: str,
    *,
    lang: str = "fi",
    association: str = "",
    title: str = "",
    date: str = "",
    place: str = "",
    facilitator: str = "",
    area_ids: Iterable[str] | None = None,
    dots: int | None = None,
    minutes: int | None = None,
    groups: Iterable[str] | None = None,
) -> SessionMeta:
    """Settings for a new session, validated; the deck's defaults fill what is not given."""
    from kit.i18n import t

    names = list(groups) if groups is not None else [t("group.default_name", lang, n=1)]
    meta = SessionMeta(
        id=session_id,
        created=created,
        lang=lang,
        association="",
        title="",
        date=date or created[:10],
        place="",
        facilitator="",
        area_ids=tuple(area_ids) if area_ids is not None else tuple(a.id for a in deck.areas),
        dots=deck.dots if dots is None else dots,
        minutes=deck.minutes if minutes is None else minutes,
        groups=tuple(Group(i + 1, str(n)) for i, n in enumerate(names)),
    )
    return validate_meta(
        deck,
        replace(
            meta,
            association=association,
            title=title or deck.short_title.get(lang),
            place=place,
            facilitator=facilitator,
        ),
    )


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def validate_meta(deck: Deck, meta: SessionMeta) -> SessionMeta:
    """The same settings, cleaned; raises `KitError` naming the first bad field."""
    from kit.i18n import LANGUAGES

    if meta.lang not in LANGUAGES:
        raise KitError("input.bad_language", value=meta.lang, known=", ".join(LANGUAGES))
    if not _DATE.match(meta.date):
        raise KitError("input.bad_date", value=meta.date)
    try:
        import datetime as _dt

        _dt.date.fromisoformat(meta.date)
    except ValueError:
        raise KitError("input.bad_date", value=meta.date) from None
    area_ids = tuple(meta.area_ids)
    if not area_ids:
        raise KitError("input.no_areas")
    if len(set(area_ids)) != len(area_ids):
        raise KitError("input.area_twice")
    for area_id in area_ids:
        deck.area(area_id)
    if isinstance(meta.dots, bool) or not isinstance(meta.dots, int) or not 1 <= meta.dots <= 20:
        raise KitError("input.range", field="dots", low=1, high=20)
    if (
        isinstance(meta.minutes, bool)
        or not isinstance(meta.minutes, int)
        or not 1 <= meta.minutes <= 240
    ):
        raise KitError("input.range", field="minutes", low=1, high=240)
    if not meta.groups:
        raise KitError("input.no_groups")
    if len(meta.groups) > MAX_GROUPS:
        raise KitError("input.too_many_groups", limit=MAX_GROUPS)
    groups = []
    seen: set[str] = set()
    for group in meta.groups:
        name = require_text(group.name, "group", MAX_NAME)
        if name.casefold() in seen:
            raise KitError("input.group_twice", name=name)
        seen.add(name.casefold())
        groups.append(Group(group.id, name))
    if len({g.id for g in groups}) != len(groups):
        raise KitError("input.group_twice", name=groups[-1].name)
    return replace(
        meta,
        association=optional_text(meta.association, "association", MAX_NAME * 2),
        title=optional_text(meta.title, "title", MAX_NAME * 2),
        place=optional_text(meta.place, "place", MAX_NAME * 2),
        facilitator=optional_text(meta.facilitator, "facilitator", MAX_NAME * 2),
        area_ids=area_ids,
        groups=tuple(groups),
    )
