"""The results of a workshop, worked out once: every screen, sheet and file reads a `Report`.

`build_report(snapshot)` is a pure function from a session snapshot to a frozen `Report`. The
summary screen, the summary sheet (PDF), the Markdown, the CSV and the QR digest render it and
compute nothing of their own, so they cannot disagree.

The rule for strengths and development priorities (docs/results.md says the same for users):

- A practice is a **strength** when at least `MIN_ANSWERS` people gave it a rating other than
  "don't know" and more than half of those said it works well (the scale's first level).
  Strengths are ranked by that share, then by the number of answers (more people, firmer
  ground), then by the deck's order. With fewer than three answers one or two people would
  decide it for the whole room; three is the smallest number where a majority is more than
  one person.
- A practice is a **development priority** when the room gave it dots; priorities are ranked
  by dots, then by the deck's order. Every dot is one person's explicit choice, so there is no
  minimum.
- Each list shows `TOP` practices, and more where practices tie with the last one shown (a tie
  is not decided by the deck's order behind the room's back), at most `MAX_SHOWN`.
- A practice in both lists is marked `split` in both: the room rates it well and still wants
  to develop it, and every renderer says so ("opinions split").
- Figures are counts with their base ("5/7", "4 dots"), never a bare percentage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kit.deck import Area, Deck, Practice
from kit.session import ActionItem, Comment, SessionMeta, Snapshot, comment_area

MIN_ANSWERS = 3
TOP = 3
MAX_SHOWN = 6


@dataclass(frozen=True)
class Distribution:
    """How many people chose each level (every level of the scale, zeros included)."""

    counts: Mapping[str, int]  # level id -> count, in the scale's order
    known: int  # answers other than "don't know"

    @property
    def answers(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class PracticeResult:
    """One practice's numbers: all answers, per group, from secret ballots; dots; comments."""

    practice: Practice
    total: Distribution
    groups: Mapping[int, Distribution]  # group id -> that group's show of hands
    ballots: Distribution
    dots: int
    group_dots: Mapping[int, int]
    ballot_dots: int
    comments: int
    strength: int | None = None  # rank among the strengths (1 = first), else None
    priority: int | None = None  # rank among the priorities, else None

    @property
    def top(self) -> int:
        """How many said the scale's first level (works well)."""
        return next(iter(self.total.counts.values()), 0)

    @property
    def split(self) -> bool:
        """A strength and a priority at once: the renderers say that opinions are split."""
        return self.strength is not None and self.priority is not None


@dataclass(frozen=True)
class AreaResult:
    area: Area
    practices: tuple[PracticeResult, ...]
    total: Distribution  # every answer on the area's practices
    ballots: int  # how many secret ballots the area had
    comments: tuple[Comment, ...]  # on the area itself and on its practices


@dataclass(frozen=True)
class Report:
    """A workshop's results, language-free: renderers put them into words."""

    meta: SessionMeta
    deck: Deck
    areas: tuple[AreaResult, ...]  # the session's areas, in its order
    strengths: tuple[PracticeResult, ...]
    priorities: tuple[PracticeResult, ...]
    general_comments: tuple[Comment, ...]  # on the whole workshop (no area, no practice)
    removed_comments: tuple[Comment, ...]  # on areas since taken out of the session
    comments: tuple[Comment, ...]  # all of them, as entered
    actions: tuple[ActionItem, ...]

    @property
    def ballots(self) -> int:
        return sum(area.ballots for area in self.areas)

    def practice(self, practice_id: str) -> PracticeResult:
        for area in self.areas:
            for result in area.practices:
                if result.practice.id == practice_id:
                    return result
        raise KeyError(practice_id)

    def area(self, area_id: str) -> AreaResult:
        for area in self.areas:
            if area.area.id == area_id:
                return area
        raise KeyError(area_id)


def mostly(count: int, known: int) -> bool:
    """At least `MIN_ANSWERS` real answers and more than half of them `count`: a strength's
    threshold, and what the regional view (`kit.region`) calls "mostly"."""
    return known >= MIN_ANSWERS and count * 2 > known


def _distribution(deck: Deck, counts: Mapping[str, int]) -> Distribution:
    ordered = {level.id: counts.get(level.id, 0) for level in deck.scale}
    known = sum(n for level in deck.scale if level.known for n in (ordered[level.id],))
    return Distribution(ordered, known)


def _add(deck: Deck, parts: list[Distribution]) -> Distribution:
    return _distribution(deck, {level.id: sum(p.counts[level.id] for p in parts)
                                for level in deck.scale})


def _shown(ranked: list[tuple[tuple[float, ...], int]]) -> list[int]:
    """The first `TOP` of a ranking, and those tied with the last of them, at most
    `MAX_SHOWN`; `ranked` holds (sort key without the deck order, index)."""
    ranked.sort()
    if len(ranked) <= TOP:
        return [index for _, index in ranked]
    cut = ranked[TOP - 1][0]
    return [index for key, index in ranked if key <= cut][:MAX_SHOWN]


def build_report(snapshot: Snapshot) -> Report:
    """Everything the workshop's outputs show, from one snapshot."""
    deck, meta = snapshot.deck, snapshot.meta
    comment_counts: dict[str, int] = {}
    by_area: dict[str | None, list[Comment]] = {}
    for comment in snapshot.comments:
        if comment.practice_id is not None:
            comment_counts[comment.practice_id] = comment_counts.get(comment.practice_id, 0) + 1
        by_area.setdefault(comment_area(deck, comment), []).append(comment)

    results: list[PracticeResult] = []
    spans: list[tuple[Area, int, int, int]] = []  # area, first and last result, ballots
    for area in snapshot.areas:
        totals = snapshot.ballot_totals(area.id)
        first = len(results)
        for practice in area.practices:
            groups = {g.id: _distribution(deck, {
                level.id: snapshot.ratings.get((g.id, practice.id, level.id), 0)
                for level in deck.scale}) for g in meta.groups}
            ballots = _distribution(deck, {level.id: totals.ratings.get((practice.id, level.id), 0)
                                           for level in deck.scale})
            group_dots = {g.id: snapshot.dots.get((g.id, practice.id), 0) for g in meta.groups}
            ballot_dots = totals.dots.get(practice.id, 0)
            results.append(PracticeResult(
                practice, _add(deck, [*groups.values(), ballots]), groups, ballots,
                sum(group_dots.values()) + ballot_dots, group_dots, ballot_dots,
                comment_counts.get(practice.id, 0)))
        spans.append((area, first, len(results), totals.ballots))

    strong = []
    wanted = []
    for index, result in enumerate(results):
        known = result.total.known
        if mostly(result.top, known):
            strong.append(((-result.top / known, -known), index))
        if result.dots:
            wanted.append(((-result.dots,), index))
    strength_rank = {index: n for n, index in enumerate(_shown(strong), start=1)}
    priority_rank = {index: n for n, index in enumerate(_shown(wanted), start=1)}
    ranked = [
        PracticeResult(**{**vars(r), "strength": strength_rank.get(i),
                          "priority": priority_rank.get(i)})
        if i in strength_rank or i in priority_rank else r
        for i, r in enumerate(results)
    ]

    areas = tuple(
        AreaResult(area, tuple(ranked[first:last]),
                   _add(deck, [r.total for r in ranked[first:last]]), ballots,
                   tuple(by_area.get(area.id, ())))
        for area, first, last, ballots in spans
    )
    in_session = set(meta.area_ids)
    removed = tuple(c for area_id, items in by_area.items()
                    if area_id is not None and area_id not in in_session for c in items)
    return Report(
        meta=meta,
        deck=deck,
        areas=areas,
        strengths=tuple(sorted((ranked[i] for i in strength_rank),
                               key=lambda r: r.strength or 0)),
        priorities=tuple(sorted((ranked[i] for i in priority_rank),
                                key=lambda r: r.priority or 0)),
        general_comments=tuple(by_area.get(None, ())),
        removed_comments=tuple(sorted(removed, key=lambda c: c.id)),
        comments=tuple(snapshot.comments),
        actions=tuple(snapshot.actions),
    )
