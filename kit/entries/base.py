"""What every entry kind shares: the log's data classes, input hygiene and `EntryKind` itself.

`kit.session` and the kind modules both import from here (never from each other at import
time), and `kit.session` re-exports these names, so `from kit.session import Comment` works.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kit.deck import Level
from kit.errors import KitError
from kit.i18n import t

if TYPE_CHECKING:
    from kit.session import SessionMeta, SessionState, Snapshot

TAGS: tuple[str, ...] = ("strength", "idea", "concern")
STEPS: tuple[str, ...] = ("setup", "area", "ballot", "present", "summary", "export")

MAX_COMMENT = 10_000
MAX_NAME = 80
MAX_ACTION = 500
MAX_WHO = 200
MAX_DUE = 100
MAX_DELTA = 1000


# --- the log's data --------------------------------------------------------------------------


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
    so that a restart does not quietly put the next show of hands on another group;
    `practice_id` the row the area screen had selected, so a restart shows the same row.
    """

    screen: str
    area_id: str | None = None
    group_id: int | None = None
    practice_id: str | None = None


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


# --- one kind of entry -----------------------------------------------------------------------

Check = Callable[["SessionState", Mapping[str, Any]], dict[str, Any]]
Apply = Callable[["SessionState", int, Mapping[str, Any]], None]
Undo = Callable[["SessionState", Entry], None]
Pack = Callable[[Mapping[str, Any]], tuple[Any, ...]]
Unpack = Callable[[tuple[Any, ...]], dict[str, Any]]
Describe = Callable[["Snapshot", Mapping[str, Any], str], str]


@dataclass(frozen=True, slots=True)
class EntryKind:
    """Everything the kit knows about one kind of log entry, in one place.

    `check` validates data against the session before it is written (raising `KitError`) and
    returns it cleaned; `apply` folds a written entry into the `SessionState`; `describe` says
    it in words for the status line. An undoable kind also has `undo` (take the entry back:
    it is given the entry as `unpack` rebuilt it) and `pack`/`unpack`, the compact form the
    undo stack keeps (a tuple of plain parts; equal tuples are stored once and shared, so
    keep only what `undo` needs). `leaves_views` says that applying it changes neither the
    comments nor the action items, so the snapshot's lists of them can be kept.
    """

    name: str
    check: Check
    apply: Apply
    describe: Describe
    undo: Undo | None = None
    pack: Pack | None = None
    unpack: Unpack | None = None
    leaves_views: bool = False

    def __post_init__(self) -> None:
        parts = (self.undo, self.pack, self.unpack)
        if any(p is None for p in parts) and any(p is not None for p in parts):
            raise ValueError(f"entry kind {self.name}: undo, pack and unpack go together")

    @property
    def undoable(self) -> bool:
        return self.undo is not None


def named(kind: str) -> Describe:
    """A `describe` that says the same words (locale key "entry.<kind>") every time."""

    def describe(snapshot: Snapshot, data: Mapping[str, Any], lang: str) -> str:
        return t(f"entry.{kind}", lang)

    return describe


def bare(kind: str) -> Describe:
    """A `describe` for entries the status line never names: just the kind."""

    def describe(snapshot: Snapshot, data: Mapping[str, Any], lang: str) -> str:
        return kind

    return describe


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


def live_target(data: Mapping[str, Any], items: Mapping[int, _Versions],
                what: str) -> dict[str, int]:
    """{"target": id} for an edit or removal of an item that is still there."""
    item_id = data.get("target")
    item = items.get(item_id) if isinstance(item_id, int) else None
    if item is None or item.current() is None:
        raise KitError(f"session.no_such_{what}", id=item_id)
    return {"target": item_id}


# --- words (the same as kit.view's, which the kinds may not import: kit.view asks them) ------


def group_name(meta: SessionMeta, group_id: int | None, lang: str) -> str:
    """A group's name; "no group" for none, or for a group since removed."""
    if group_id is None:
        return t("app.no_group", lang)
    for group in meta.groups:
        if group.id == group_id:
            return group.name
    return t("app.no_group", lang)


def level_heading(level: Level, lang: str) -> str:
    """A column heading: the symbol carries the meaning, the word says it."""
    short = level.short(lang)
    return level.symbol if short == level.symbol else f"{level.symbol} {short}"
