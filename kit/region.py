"""Many associations side by side: per practice, how many rated it mostly one way or the other.

Only counts leave an association. For each practice and each association the association's
own `Report` says how many real answers (not "don't know") it had and how many of them were
"works well" and "needs development". An association rated a practice **mostly works well**
when at least `MIN_ANSWERS` people answered and more than half of them said so: the same
threshold that makes a practice one of the association's strengths (`kit.report.mostly`);
likewise **mostly needs development**. With fewer answers it is counted under "too few
answers", and otherwise under "divided". Every figure is given with the number of
associations and of answers behind it.

Exports are read one at a time and only their counts are kept, so 500 of them take little
more memory than one. Comment texts are kept only when asked for (`comments=True`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kit.across import Seen, Source, develop_level, read_export
from kit.deck import Area, Level, Practice
from kit.errors import KitError
from kit.report import MIN_ANSWERS, Report, build_report, mostly


@dataclass
class RegionRow:
    """One practice across the region (counts of associations, and the answers behind)."""

    practice: Practice
    area: Area
    rated: int = 0  # associations with at least MIN_ANSWERS real answers
    answers: int = 0  # the real answers of those associations
    well: int = 0  # associations where it mostly works well
    develop: int = 0  # associations where it mostly needs development
    few: int = 0  # associations with 1 to MIN_ANSWERS - 1 real answers
    comments: list[tuple[str, str]] = field(default_factory=list)  # (association, text)

    @property
    def divided(self) -> int:
        return self.rated - self.well - self.develop


@dataclass
class Region:
    well_level: Level
    develop_level: Level
    rows: dict[str, RegionRow]  # by practice id, in the order first seen
    associations: int = 0
    with_comments: bool = False

    def by_area(self) -> list[tuple[Area, list[RegionRow]]]:
        out: dict[str, tuple[Area, list[RegionRow]]] = {}
        for row in self.rows.values():
            out.setdefault(row.area.id, (row.area, []))[1].append(row)
        return list(out.values())


def association_name(report: Report) -> str:
    meta = report.meta
    name = meta.association or meta.title
    return f"{name} ({meta.date})" if meta.date else name


def add_report(region: Region | None, report: Report, comments: bool) -> Region:
    """`region` with one more association's counts (a new region for the first)."""
    if region is None:
        region = Region(report.deck.scale[0], develop_level(report.deck), {},
                        with_comments=comments)
    well, develop = region.well_level.id, region.develop_level.id
    name = association_name(report) if comments else ""
    for area in report.areas:
        for result in area.practices:
            row = region.rows.get(result.practice.id)
            if row is None:
                row = region.rows[result.practice.id] = RegionRow(result.practice, area.area)
            known = result.total.known
            if known >= MIN_ANSWERS:
                row.rated += 1
                row.answers += known
                row.well += mostly(result.total.counts[well], known)
                row.develop += mostly(result.total.counts[develop], known)
            elif known:
                row.few += 1
        if comments:
            for comment in area.comments:
                if comment.practice_id in region.rows:
                    region.rows[comment.practice_id].comments.append((name, comment.text))
    region.associations += 1
    return region


def build_region(paths: Iterable[Path], *, comments: bool = False) -> Region:
    """The region over export files, one at a time; the same session twice or another
    scale is refused (one line naming the file)."""
    seen = Seen()
    region: Region | None = None
    for path in paths:
        snapshot, origins = read_export(path)
        report = build_report(snapshot)
        seen.add(Source(str(path), report, origins))
        region = add_report(region, report, comments)
    if region is None:
        raise KitError("region.no_exports")
    return region
