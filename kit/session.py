"""A workshop session in the facilitator's words: its settings, its log, what the log adds up to.

The store appends entries to a log; `SessionState` folds each entry into running tallies, so a
key press costs the same whether the log holds ten entries or a hundred thousand. Screens and
exports read a frozen `Snapshot`; nothing here knows about SQLite, Textual or reportlab.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kit.deck import Area, Deck, Practice
from kit.errors import KitError

TAGS: tuple[str, ...] = ("strength", "idea", "concern")
STEPS: tuple[str, ...] = ("setup", "area", "ballot", "present", "summary", "export")

MAX_COMMENT = 10_000
MAX_NAME = 80
MAX_ACTION = 500
MAX_WHO = 200
MAX_DUE = 100
MAX_DELTA = 1000
MAX_GROUPS = 20

UNDOABLE: frozenset[str] = frozenset(
    {
        "rating",
        "dots",
        "comment",
        "comment_edit",
        "comment_remove",
        "action",
        "action_edit",
        "action_remove",
    }
)


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


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the append-only log. `data` is plain JSON-able data, never mutated."""

    id: int
    kind: str
    at: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Comment:
    id: int
    text: str
    tag: str
    area_id: str | None
    practice_id: str | None
    group_id: int | None


@dataclass(frozen=True)
class ActionItem:
    id: int
    what: str
    who: str
    due: str
    practice_id: str | None


@dataclass(frozen=True)
class TimerState:
    """The area timer as saved: `wall` is when `remaining_ms` was measured (epoch seconds)."""

    area_id: str
    remaining_ms: int
    running: bool
    wall: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.area_id,
            "remaining_ms": self.remaining_ms,
            "running": self.running,
            "wall": self.wall,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimerState:
        return cls(
            str(data["area"]), int(data["remaining_ms"]), bool(data["running"]), float(data["wall"])
        )


@dataclass(frozen=True)
class Step:
    """Where the facilitator is: a screen and, for area screens, which area and group.

    `group_id` is the group whose counts the area screen takes (0: all groups, for reading),
    so that a restart does not quietly put the next show of hands on another group.
    """

    screen: str
    area_id: str | None = None
    group_id: int | None = None


@dataclass(frozen=True)
class BallotTotals:
    """The anonymous sum of an area's secret ballots: counts only, never single ballots."""

    ballots: int = 0
    ratings: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (practice, level)
    dots: Mapping[str, int] = field(default_factory=dict)


# --- input hygiene ---------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Text as typed or pasted, minus control characters that would garble a screen or a PDF."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\t", " ")
    if not multiline:
        value = value.replace("\n", " ")
    value = _CONTROL.sub("", value)
    if multiline:
        value = "\n".join(line.rstrip() for line in value.split("\n"))
        value = re.sub(r"\n{3,}", "\n\n", value)
    return value.strip()


def require_text(value: Any, key: str, limit: int, *, multiline: bool = False) -> str:
    if not isinstance(value, str):
        raise KitError("input.not_text", field=key)
    text = clean_text(value, multiline=multiline)
    if not text:
        raise KitError("input.empty", field=key)
    if len(text) > limit:
        raise KitError("input.too_long", field=key, limit=limit, length=len(text))
    return text


def optional_text(value: Any, key: str, limit: int) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise KitError("input.not_text", field=key)
    text = clean_text(value)
    if len(text) > limit:
        raise KitError("input.too_long", field=key, limit=limit, length=len(text))
    return text


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


class _Versions:
    """Versions of an editable item (comment, action item); undo drops the version it made."""

    __slots__ = ("created", "versions")

    def __init__(self, created: int, first: Any) -> None:
        self.created = created
        self.versions: list[tuple[int, Any]] = [(created, first)]

    def current(self) -> Any:
        return self.versions[-1][1]

    def drop(self, entry_id: int) -> None:
        self.versions = [v for v in self.versions if v[0] != entry_id]


def count_comments(comments: Iterable[Comment]) -> dict[tuple[str, int | None], int]:
    """Comments per (practice, None) for all groups and per (practice, group)."""
    counts: dict[tuple[str, int | None], int] = defaultdict(int)
    for comment in comments:
        if comment.practice_id is not None:
            counts[(comment.practice_id, None)] += 1
            if comment.group_id is not None:
                counts[(comment.practice_id, comment.group_id)] += 1
    return dict(counts)


# Entry kinds that change neither comments nor action items (undo may take either back).
_LEAVES_VIEWS = frozenset({"rating", "dots", "step", "timer"})


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

    # folding ---------------------------------------------------------------------------------

    def apply(self, entry: Entry) -> None:
        self.apply_row(entry.id, entry.kind, entry.data)

    def apply_row(self, entry_id: int, kind: str, data: Mapping[str, Any]) -> None:
        """`apply` without an Entry: opening a session folds every row of its log."""
        if entry_id > self.last_id:
            self.last_id = entry_id
        self.count += 1
        if kind not in _LEAVES_VIEWS:
            self._views = None
        if kind in UNDOABLE:
            self.undoable.push(entry_id, kind, data)
        if kind == "rating":
            self.ratings[(data["group"], data["practice"], data["level"])] += data["delta"]
        elif kind == "dots":
            self.dots[(data["group"], data["practice"])] += data["delta"]
        elif kind == "comment":
            self.comments[entry_id] = _Versions(entry_id, _comment(entry_id, data))
        elif kind == "comment_edit":
            item = self.comments.get(data["target"])
            if item is not None:
                item.versions.append((entry_id, _comment(data["target"], data)))
        elif kind == "comment_remove":
            item = self.comments.get(data["target"])
            if item is not None:
                item.versions.append((entry_id, None))
        elif kind == "action":
            self.actions[entry_id] = _Versions(entry_id, _action(entry_id, data))
        elif kind == "action_edit":
            item = self.actions.get(data["target"])
            if item is not None:
                item.versions.append((entry_id, _action(data["target"], data)))
        elif kind == "action_remove":
            item = self.actions.get(data["target"])
            if item is not None:
                item.versions.append((entry_id, None))
        elif kind == "undo":
            self._undo(data["target"])
        elif kind == "step":
            self.step = Step(data["screen"], data.get("area"), data.get("group"))
        elif kind == "timer":
            timer = TimerState.from_dict(data)
            self.timers[timer.area_id] = timer

    def _undo(self, target_id: int) -> None:
        target = self.undoable.last()
        if target is None or target.id != target_id:
            return
        self.undoable.pop()
        data = target.data
        if target.kind == "rating":
            self.ratings[(data["group"], data["practice"], data["level"])] -= data["delta"]
        elif target.kind == "dots":
            self.dots[(data["group"], data["practice"])] -= data["delta"]
        elif target.kind == "comment":
            self.comments.pop(target_id, None)
        elif target.kind == "action":
            self.actions.pop(target_id, None)
        elif target.kind.startswith("comment_"):
            item = self.comments.get(data["target"])
            if item is not None:
                item.drop(target_id)
        elif target.kind.startswith("action_"):
            item = self.actions.get(data["target"])
            if item is not None:
                item.drop(target_id)

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
        if kind == "rating":
            _keys(kind, data, {"group", "practice", "level", "delta"})
            group = self.check_group(data["group"])
            practice = self.practice_in_session(data["practice"]).id
            level = self.deck.level(_ident(data["level"], "level")).id
            delta = _delta(data["delta"])
            current = self.ratings.get((group, practice, level), 0)
            if current + delta < 0:
                raise KitError("input.below_zero", count=current)
            return {"group": group, "practice": practice, "level": level, "delta": delta}
        if kind == "dots":
            _keys(kind, data, {"group", "practice", "delta"})
            group = self.check_group(data["group"])
            practice = self.practice_in_session(data["practice"]).id
            delta = _delta(data["delta"])
            current = self.dots.get((group, practice), 0)
            if current + delta < 0:
                raise KitError("input.below_zero", count=current)
            return {"group": group, "practice": practice, "delta": delta}
        if kind in ("comment", "comment_edit"):
            target = self._target(kind, data, self.comments, "comment")
            _keys(kind, data, {"text", "tag", "practice", "area", "group"} | target.keys())
            text = require_text(data["text"], "comment", MAX_COMMENT, multiline=True)
            if data["tag"] not in TAGS:
                raise KitError("input.bad_tag", value=data["tag"])
            practice, area = data["practice"], data["area"]
            if practice is not None:
                area = self.practice_in_session(practice).area_id
            elif area is not None:
                self.area_in_session(area)
            group = None if data["group"] is None else self.check_group(data["group"])
            return {**target, "text": text, "tag": data["tag"], "practice": practice,
                    "area": area, "group": group}
        if kind in ("action", "action_edit"):
            target = self._target(kind, data, self.actions, "action")
            _keys(kind, data, {"what", "who", "due", "practice"} | target.keys())
            practice = data["practice"]
            if practice is not None:
                self.practice_in_session(practice)
            return {
                **target,
                "what": require_text(data["what"], "what", MAX_ACTION),
                "who": optional_text(data["who"], "who", MAX_WHO),
                "due": optional_text(data["due"], "due", MAX_DUE),
                "practice": practice,
            }
        if kind in ("comment_remove", "action_remove"):
            items = self.comments if kind == "comment_remove" else self.actions
            target = self._target(kind, data, items, kind.split("_")[0])
            _keys(kind, data, set(target))
            return target
        if kind == "undo":
            _keys(kind, data, {"target"})
            last = self.last_undoable()
            if last is None or data["target"] != last.id:
                raise KitError("input.bad_undo")
            return {"target": last.id}
        if kind == "step":
            if set(data) != {"screen", "area"}:
                _keys(kind, data, {"screen", "area", "group"})
            if data["screen"] not in STEPS:
                raise KitError("input.bad_step", value=data["screen"])
            if data["area"] is not None:
                self.area_in_session(data["area"])
            step = {"screen": data["screen"], "area": data["area"]}
            if "group" in data:
                group = data["group"]
                if (isinstance(group, bool) or not isinstance(group, int)
                        or (group != 0 and group not in {g.id for g in self.meta.groups})):
                    raise KitError("input.bad_entry", kind=kind)
                step["group"] = group
            return step
        if kind == "timer":
            _keys(kind, data, {"area", "remaining_ms", "running", "wall"})
            self.area_in_session(data["area"])
            remaining = data["remaining_ms"]
            if isinstance(remaining, bool) or not isinstance(remaining, int) or not (
                0 <= remaining <= 24 * 3600 * 1000
            ):
                raise KitError("input.bad_number", value=remaining)
            if not isinstance(data["running"], bool) or isinstance(data["wall"], bool) or (
                not isinstance(data["wall"], int | float)
            ):
                raise KitError("input.bad_entry", kind=kind)
            return TimerState.from_dict(data).to_dict()
        raise KitError("input.bad_entry", kind=kind)

    @staticmethod
    def _target(kind: str, data: Mapping[str, Any], items: Mapping[int, _Versions],
                what: str) -> dict[str, int]:
        """{"target": id} for edits and removals of a live item; {} for a new one."""
        if kind in ("comment", "action"):
            return {}
        item_id = data.get("target")
        item = items.get(item_id) if isinstance(item_id, int) else None
        if item is None or item.current() is None:
            raise KitError(f"session.no_such_{what}", id=item_id)
        return {"target": item_id}

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
    what it changed, so their texts are not kept twice.
    """

    __slots__ = ("_ids", "_items", "_shared")

    def __init__(self) -> None:
        self._ids = array("q")
        self._items: list[tuple[Any, ...]] = []
        self._shared: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def __bool__(self) -> bool:
        return bool(self._items)

    def push(self, entry_id: int, kind: str, data: Mapping[str, Any]) -> None:
        if kind == "rating":
            item: tuple[Any, ...] = (kind, data["group"], data["practice"], data["level"],
                                     data["delta"])
        elif kind == "dots":
            item = (kind, data["group"], data["practice"], data["delta"])
        elif kind in ("comment", "action"):
            item = (kind,)
        else:
            item = (kind, data["target"])
        if kind in ("rating", "dots") and not (type(item[1]) is int and type(item[-1]) is int):
            shared = item  # True == 1 and 1.0 == 1: sharing would change what comes back
        else:
            try:
                shared = self._shared.get(item)
            except TypeError:  # something unhashable in a vote: kept as it is
                shared = item
        if shared is None:  # a new one: its strings shared with every other too
            shared = tuple(sys.intern(part) if type(part) is str else part for part in item)
            self._shared[shared] = shared
        self._ids.append(entry_id)
        self._items.append(shared)

    def last(self) -> Entry | None:
        if not self._items:
            return None
        entry_id, item = self._ids[-1], self._items[-1]
        kind = item[0]
        if kind == "rating":
            data: dict[str, Any] = {"group": item[1], "practice": item[2], "level": item[3],
                                    "delta": item[4]}
        elif kind == "dots":
            data = {"group": item[1], "practice": item[2], "delta": item[3]}
        else:
            data = {"target": item[1]} if len(item) == 2 else {}
        return Entry(entry_id, kind, "", data)

    def pop(self) -> None:
        self._ids.pop()
        self._items.pop()


def _keys(kind: str, data: Mapping[str, Any], expected: set[str]) -> None:
    if set(data) != expected:
        raise KitError("input.bad_entry", kind=kind)


def _ident(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise KitError("input.bad_entry", kind=name)
    return value


def _delta(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value == 0:
        raise KitError("input.bad_number", value=value)
    if abs(value) > MAX_DELTA:
        raise KitError("input.range", field="count", low=-MAX_DELTA, high=MAX_DELTA)
    return value


def _comment(comment_id: int, data: Mapping[str, Any]) -> Comment:
    return Comment(
        comment_id, data["text"], data["tag"], data.get("area"), data.get("practice"),
        data.get("group"),
    )


def _action(action_id: int, data: Mapping[str, Any]) -> ActionItem:
    return ActionItem(action_id, data["what"], data.get("who", ""), data.get("due", ""),
                      data.get("practice"))


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
