"""Workshops side by side: where merge, compare and region get their sessions from.

A source is a session in this laptop's store (its id, or `latest`) or a JSON export file
(`kit.exports.jsonfile`). An export is read into memory exactly as `tyopaja import` would
check it, entry by entry, but nothing is written: a regional view over 500 exports must not
fill the store. Every source ends as a `Report` (`kit.report.build_report`), so merge, compare
and region read the same results the summary sheet prints and work nothing out of their own.

Sources are told apart by the session they came from: an export keeps its session's id and
creation time, and an imported copy keeps the creation time too. The same session twice (a
session and its own export, an export and an imported copy of it, one file given twice) would
count the same people twice, so it is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.deck import Deck, Level
from kit.errors import KitError, os_error
from kit.report import Report, build_report
from kit.session import BallotTotals, Entry, SessionMeta, SessionState, Snapshot, validate_meta


@dataclass(frozen=True)
class Source:
    """One workshop to put beside others: what the user named, and its results."""

    name: str  # as given on the command line or chosen on the screen
    report: Report

    @property
    def meta(self) -> SessionMeta:
        return self.report.meta


class FileError(KitError):
    """A bad export file: the file's name, then what is wrong with it, in the user's words."""

    def __init__(self, path: Path, problem: KitError) -> None:
        super().__init__("across.bad_file", path=str(path))
        self.problem = problem

    def message(self, lang: str = "fi") -> str:
        from kit.i18n import t

        if self.problem.key == "import.not_json":  # the parser's detail is Python's English
            problem = t("across.not_json", lang)
        else:
            problem = self.problem.message(lang)
        return t(self.key, lang, path=self.params["path"], problem=problem)


def snapshot_of_export(meta: SessionMeta, deck: Deck, entries: Iterable[Entry],
                       ballots: dict[str, BallotTotals]) -> Snapshot:
    """An export's session, checked entry by entry as an import checks it, in memory only."""
    meta = validate_meta(deck, meta)
    state = SessionState(meta, deck)
    for entry in entries:
        data = state.check(entry.kind, dict(entry.data))
        state.apply_row(entry.id, entry.kind, data)
    for area_id in ballots:
        deck.area(area_id)
    state.ballots = dict(ballots)
    return state.snapshot()


def read_export(path: Path) -> Snapshot:
    """An export file as a snapshot; any problem is one `KitError` naming the file."""
    from kit.exports import jsonfile

    try:
        with open(path, "rb") as handle:
            raw = handle.read(jsonfile.MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise os_error("cli.cannot_read", path, exc) from None
    try:
        return snapshot_of_export(*jsonfile.loads(raw))
    except KitError as exc:
        raise FileError(path, exc) from None


def load_source(name: str, store: Any | None) -> Source:
    """A session id (or `latest`) in `store`, or an export file's path."""
    path = Path(name).expanduser()
    if path.is_file():
        return Source(name, build_report(read_export(path)))
    if store is None or path.suffix.lower() == ".json" or path.exists():
        raise KitError("across.no_source", name=name)
    session_id = store.resolve(name)
    return Source(name, build_report(store.snapshot(session_id)))


def export_files(names: Sequence[str]) -> Iterator[Path]:
    """The files named, and every `*.json` in the folders named (subfolders too), in order."""
    for name in names:
        path = Path(name).expanduser()
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json") if p.is_file())
        elif path.is_file():
            yield path
        else:
            raise KitError("across.no_source", name=name)


def scale_key(deck: Deck) -> tuple[tuple[str, bool], ...]:
    """What must be equal for counts to be added: the levels, in order, and which are known."""
    return tuple((level.id, level.known) for level in deck.scale)


def develop_level(deck: Deck) -> Level:
    """The scale's "needs development": its last level that is a real answer."""
    known = [level for level in deck.scale if level.known]
    return known[-1] if known else deck.scale[-1]


class Seen:
    """Refuses a second source from the same session, or one on another scale."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._created: dict[str, str] = {}
        self._scale: tuple[tuple[str, bool], ...] | None = None
        self._first = ""

    def add(self, name: str, report: Report) -> None:
        meta = report.meta
        for seen, key in ((self._ids, meta.id), (self._created, meta.created)):
            if key in seen:
                raise KitError("across.same_source", first=seen[key], second=name)
        scale = scale_key(report.deck)
        if self._scale is None:
            self._scale, self._first = scale, name
        elif scale != self._scale:
            raise KitError("across.other_scale", name=name, first=self._first)
        self._ids[meta.id] = name
        self._created[meta.created] = name


def load_sources(names: Sequence[str], store: Any | None) -> list[Source]:
    """Every source, refused as a whole if two are one session or the scales differ."""
    seen = Seen()
    sources = []
    for name in names:
        source = load_source(name, store)
        seen.add(name, source.report)
        sources.append(source)
    return sources
