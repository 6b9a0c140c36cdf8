"""An earlier workshop beside a later one, practice by practice, honest about small rooms.

Practices are matched by their stable id, so a reworded card is still the same practice. Each
figure is a count with its base: how many of the people who gave a real answer (not "don't
know") said "works well", and how many "needs development" ("5/12 → 9/15").

**The rule for the direction mark** (`direction`, and docs/across.md for users): a mark is
shown only when the share changed by more than two people's answers could move it in the
smaller of the two rooms, i.e. when |b/m − a/n| > 2 / min(n, m) for a of n earlier and b of m
later. In a room of 12 one person is 8 points: one or two people changing their mind (or
staying home) give no mark; three do. With fewer than three answers on either side no change
can be larger than two people, so there is never a mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.across import develop_level, scale_key
from kit.deck import Area, Level, Practice
from kit.errors import KitError
from kit.report import PracticeResult, Report

PEOPLE = 2  # a change must be larger than what this many people could make


def direction(earlier: int, earlier_n: int, later: int, later_n: int) -> int:
    """+1 or -1 when `later/later_n` differs from `earlier/earlier_n` by more than `PEOPLE`
    people's worth in the smaller room, else 0 (integers only: no rounding at the edge)."""
    if earlier_n <= 0 or later_n <= 0:
        return 0
    diff = later * earlier_n - earlier * later_n  # (b/m - a/n) * n * m
    if abs(diff) * min(earlier_n, later_n) > PEOPLE * earlier_n * later_n:
        return 1 if diff > 0 else -1
    return 0


@dataclass(frozen=True)
class Change:
    """One level's count and base, before and after, and the mark the rule gives."""

    earlier: int
    earlier_n: int
    later: int
    later_n: int

    @property
    def direction(self) -> int:
        return direction(self.earlier, self.earlier_n, self.later, self.later_n)


@dataclass(frozen=True)
class PracticeChange:
    practice: Practice  # as the later deck words it
    area: Area  # the later deck's area
    well: Change  # the scale's first level
    develop: Change  # the scale's last real answer
    dots: tuple[int, int]  # earlier, later: shown side by side, no mark (no base to judge by)


@dataclass(frozen=True)
class Comparison:
    earlier: Report
    later: Report
    well_level: Level
    develop_level: Level
    rows: tuple[PracticeChange, ...]  # practices both workshops rated, in the later order
    only_earlier: tuple[Practice, ...]  # gone from the later workshop (or its deck)
    only_later: tuple[Practice, ...]  # new in the later workshop (or its deck)

    @property
    def marked(self) -> int:
        return sum(1 for r in self.rows for c in (r.well, r.develop) if c.direction)


def _results(report: Report) -> dict[str, PracticeResult]:
    return {r.practice.id: r for area in report.areas for r in area.practices}


def compare(earlier: Report, later: Report) -> Comparison:
    """The two workshops side by side; refused when their scales differ."""
    if scale_key(earlier.deck) != scale_key(later.deck):
        raise KitError("compare.other_scale")
    well, develop = later.deck.scale[0], develop_level(later.deck)
    before, after = _results(earlier), _results(later)
    rows = []
    for practice_id, result in after.items():
        old = before.get(practice_id)
        if old is None:
            continue
        rows.append(PracticeChange(
            result.practice, later.deck.area(result.practice.area_id),
            Change(old.total.counts[well.id], old.total.known,
                   result.total.counts[well.id], result.total.known),
            Change(old.total.counts[develop.id], old.total.known,
                   result.total.counts[develop.id], result.total.known),
            (old.dots, result.dots)))
    return Comparison(
        earlier, later, well, develop, tuple(rows),
        tuple(r.practice for pid, r in before.items() if pid not in after),
        tuple(r.practice for pid, r in after.items() if pid not in before))
