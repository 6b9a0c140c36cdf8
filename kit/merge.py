"""Parallel rooms made one session: counts added, groups and comments kept with their room.

The rules (docs/across.md says the same for users):

- Counts and dots are added, never shares averaged: a room of 20 weighs twice a room of 10.
- Each room's groups stay groups of their own, named "room · group", so the merged session
  shows per room what the room said, and its totals are the sum of the rooms'.
- Secret ballots are added as the anonymous totals they already are, per area: the merged
  session holds no more about single ballots than its sources did (nothing).
- Every comment and action item is kept, its text led by its room ("Sali: …").
- The merged session names the sessions it was made of (an `origins` entry: ids and creation
  times only), so a merged session and one of its own rooms are refused like any session
  given twice (`kit.across.Seen`).
- Rooms are named by their place, else their title, else their association, whichever tells
  them all apart; failing that "Room A", "Room B", … in the order below.
- The sources are taken in the order they were created (then by id), whatever order they were
  given in: the merged session is the same either way.
- Decks that differ merge on the practices every deck has (by their stable id); the others
  are listed, not merged. Scales that differ cannot be added at all and are refused.

The merged session is written by `Store.import_session`, in one transaction through the same
entry checks as every recorded entry, so it is durable and can be undone like any session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from kit.across import Source
from kit.deck import Deck, Practice, parse_deck
from kit.entries.base import MAX_ACTION, MAX_COMMENT, MAX_DELTA, MAX_NAME, Entry
from kit.errors import KitError
from kit.i18n import t
from kit.session import MAX_GROUPS, BallotTotals, Group, SessionMeta

SEPARATOR = " · "
MAX_ROOM = 40  # a room's part of a group's name, so that the group's own name fits beside it


@dataclass(frozen=True)
class MergePlan:
    """What the merged session will hold, before anything is written."""

    meta: SessionMeta  # id and created are the store's to give
    deck: Deck
    entries: tuple[Entry, ...]
    ballots: dict[str, BallotTotals]
    rooms: tuple[str, ...]  # the room names, in the order of `sources`
    sources: tuple[Source, ...]  # in the merge's order
    left_out: tuple[Practice, ...]  # practices not in every deck: listed, not merged


def ordered(sources: Sequence[Source]) -> list[Source]:
    """The merge's order: by creation, then id; never the order they were typed in."""
    return sorted(sources, key=lambda s: (s.meta.created, s.meta.id))


def room_names(metas: Sequence[SessionMeta], lang: str) -> list[str]:
    """Names that tell the rooms apart: place, title or association, else "Room A", …"""
    for field in ("place", "title", "association"):
        names = [" ".join(getattr(m, field).split()) for m in metas]
        if all(names) and len({n.casefold() for n in names}) == len(names):
            return [_cut(n, MAX_ROOM) for n in names]
    return [t("merge.room", lang, letter=_letter(i)) for i in range(len(metas))]


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _shared_deck(decks: Sequence[Deck]) -> tuple[Deck, tuple[Practice, ...]]:
    """The first deck with only the practices every deck has; and the practices left out."""
    shared = set.intersection(*({p.id for p in d.practices()} for d in decks))
    left_out: dict[str, Practice] = {}
    for deck in decks:
        for practice in deck.practices():
            if practice.id not in shared:
                left_out.setdefault(practice.id, practice)
    if not shared:
        raise KitError("merge.nothing_shared")
    data = decks[0].to_dict()
    areas = []
    for area in data["areas"]:
        practices = [p for p in area["practices"] if p["id"] in shared]
        if practices:
            areas.append({**area, "practices": practices})
    data["areas"] = areas
    return parse_deck(data, "merge"), tuple(left_out.values())


def plan_merge(sources: Sequence[Source], *, lang: str, title: str | None = None,
               created: str = "") -> MergePlan:
    """The merged session of two or more sources (checked already: `kit.across.Seen`)."""
    if len(sources) < 2:
        raise KitError("merge.too_few")
    sources = ordered(sources)
    reports = [s.report for s in sources]
    deck, left_out = _shared_deck([r.deck for r in reports])
    rooms = room_names([r.meta for r in reports], lang)
    in_session = {a for r in reports for a in r.meta.area_ids}
    reported = {p.practice.id for r in reports for a in r.areas for p in a.practices}
    area_ids = tuple(a.id for a in deck.areas if a.id in in_session
                     or any(p.id in reported for p in a.practices))
    if not area_ids:
        raise KitError("merge.nothing_shared")
    session_practices = {p.id for a in deck.areas if a.id in area_ids for p in a.practices}

    groups: list[Group] = []
    group_map: list[dict[int, int]] = []
    for room, report in zip(rooms, reports, strict=True):
        mapping = {}
        for group in report.meta.groups:
            name = _cut(f"{room}{SEPARATOR}{group.name}", MAX_NAME)
            groups.append(Group(len(groups) + 1, name))
            mapping[group.id] = len(groups)
        group_map.append(mapping)
    if len(groups) > MAX_GROUPS:
        raise KitError("merge.too_many_groups", n=len(groups), limit=MAX_GROUPS)

    entries: list[Entry] = []

    def add(kind: str, data: dict[str, Any]) -> None:
        entries.append(Entry(len(entries) + 1, kind, created, data))

    # First what it was made of, so that it is never merged again with one of its rooms.
    add("origins", {"sessions": [{"id": i, "created": c} for s in sources for i, c in s.keys]})

    boxes: dict[str, int] = {}
    ballot_ratings: dict[str, dict[tuple[str, str], int]] = {}
    ballot_dots: dict[str, dict[str, int]] = {}
    for room, report, mapping in zip(rooms, reports, group_map, strict=True):
        for area in report.areas:
            if area.area.id in area_ids and area.ballots:
                boxes[area.area.id] = boxes.get(area.area.id, 0) + area.ballots
            for result in area.practices:
                practice = result.practice.id
                if practice not in session_practices:
                    continue
                for group_id, counts in result.groups.items():
                    for level, n in counts.counts.items():
                        for delta in _chunks(n):
                            add("rating", {"group": mapping[group_id], "practice": practice,
                                           "level": level, "delta": delta})
                for group_id, n in result.group_dots.items():
                    for delta in _chunks(n):
                        add("dots", {"group": mapping[group_id], "practice": practice,
                                     "delta": delta})
                home = deck.practice(practice).area_id
                ratings = ballot_ratings.setdefault(home, {})
                for level, n in result.ballots.counts.items():
                    if n:
                        ratings[(practice, level)] = ratings.get((practice, level), 0) + n
                if result.ballot_dots:
                    dots = ballot_dots.setdefault(home, {})
                    dots[practice] = dots.get(practice, 0) + result.ballot_dots
        for comment in report.comments:
            practice = comment.practice_id if comment.practice_id in session_practices else None
            area = comment.area_id if practice is None and comment.area_id in area_ids else None
            if practice is not None:
                area = deck.practice(practice).area_id
            add("comment", {"text": _cut(f"{room}: {comment.text}", MAX_COMMENT),
                            "tag": comment.tag, "practice": practice, "area": area,
                            "group": mapping.get(comment.group_id)
                            if comment.group_id is not None else None})
        for action in report.actions:
            practice = action.practice_id if action.practice_id in session_practices else None
            add("action", {"what": _cut(f"{room}: {action.what}", MAX_ACTION),
                           "who": action.who, "due": action.due, "practice": practice})

    add("step", {"screen": "summary", "area": None})  # opens where the results are
    first = reports[0].meta
    dates = sorted({r.meta.date for r in reports})
    places = list(dict.fromkeys(r.meta.place for r in reports if r.meta.place))
    associations = [r.meta.association for r in reports if r.meta.association]
    meta = SessionMeta(
        id="", created=created, lang=first.lang,
        association=associations[0] if associations else "",
        title=_cut(title or t("merge.default_title", lang, rooms=" + ".join(rooms)),
                   MAX_NAME * 2),
        date=dates[-1], place=_cut(" + ".join(places), MAX_NAME * 2),
        facilitator=_cut(", ".join(dict.fromkeys(
            r.meta.facilitator for r in reports if r.meta.facilitator)), MAX_NAME * 2),
        area_ids=area_ids,
        dots=max(r.meta.dots for r in reports),
        minutes=max(r.meta.minutes for r in reports),
        groups=tuple(groups),
    )
    totals = {area: BallotTotals(boxes.get(area, 0), ballot_ratings.get(area, {}),
                                 ballot_dots.get(area, {}))
              for area in area_ids if boxes.get(area) or ballot_ratings.get(area)
              or ballot_dots.get(area)}
    return MergePlan(meta, deck, tuple(entries), totals, tuple(rooms), tuple(sources), left_out)


def _chunks(n: int) -> list[int]:
    """A count as entries of at most `MAX_DELTA` each (one entry for any real room)."""
    out = []
    while n > 0:
        out.append(min(n, MAX_DELTA))
        n -= out[-1]
    return out


def merge(store: Any, sources: Sequence[Source], *, lang: str,
          title: str | None = None) -> tuple[str, MergePlan]:
    """Write the merged session into `store` (all of it or nothing); its id and the plan."""
    from kit.store import now_iso

    plan = plan_merge(sources, lang=lang, title=title, created=now_iso())
    session_id = store.import_session(replace(plan.meta, id="merge"), plan.deck,
                                      plan.entries, plan.ballots)
    return str(session_id), plan
