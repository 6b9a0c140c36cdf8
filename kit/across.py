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
from kit.errors import KitError
from kit.report import Report, build_report
from kit.session import BallotTotals, Entry, SessionMeta, SessionState, Snapshot, validate_meta


@dataclass(frozen=True)
class Source:
    """One workshop to put beside others: what the user named, and its results."""

    name: str  # as given on the command line or chosen on the screen
    report: Report
    origins: tuple[tuple[str, str], ...] = ()  # (id, created) of the sessions merged into it

    @property
    def keys(self) -> tuple[tuple[str, str], ...]:
        """Every session this source counts: itself and what it was merged from."""
        return ((self.meta.id, self.meta.created), *self.origins)

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


def origins_of(entries: Iterable[Entry]) -> tuple[tuple[str, str], ...]:
    """The sessions a merged session's `origins` entries name (none for any other)."""
    return tuple((item["id"], item["created"]) for entry in entries if entry.kind == "origins"
                 for item in entry.data["sessions"])


def read_export(path: Path) -> tuple[Snapshot, tuple[tuple[str, str], ...]]:
    """An export file as a snapshot, and its origins; any problem is one `KitError` naming
    the file."""
    from kit.exports import jsonfile

    raw = jsonfile.read_export_bytes(path, path)
    try:
        meta, deck, entries, ballots = jsonfile.loads(raw)
        return snapshot_of_export(meta, deck, entries, ballots), origins_of(entries)
    except KitError as exc:
        raise FileError(path, exc) from None


def load_source(name: str, store: Any | None) -> Source:
    """A session id (or `latest`) in `store`, or an export file's path."""
    path = Path(name).expanduser()
    if path.is_file():
        snapshot, origins = read_export(path)
        return Source(name, build_report(snapshot), origins)
    if store is None or path.suffix.lower() == ".json" or path.exists():
        raise KitError("across.no_source", name=name)
    session_id = store.resolve(name)
    return Source(name, build_report(store.snapshot(session_id)),
                  origins_of(store.entries(session_id)))


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
    """Refuses a second source from the same session, or one on another scale.

    A merged session counts its rooms too (its `origins`): a merged session and one of its
    own rooms are the same people twice.
    """

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._created: dict[str, str] = {}
        self._scale: tuple[tuple[str, bool], ...] | None = None
        self._first = ""

    def add(self, source: Source) -> None:
        name, report = source.name, source.report
        for session_id, created in source.keys:
            for seen, key in ((self._ids, session_id), (self._created, created)):
                if key in seen:
                    raise KitError("across.same_source", first=seen[key], second=name)
        scale = scale_key(report.deck)
        if self._scale is None:
            self._scale, self._first = scale, name
        elif scale != self._scale:
            raise KitError("across.other_scale", name=name, first=self._first)
        for session_id, created in source.keys:
            self._ids[session_id] = name
            self._created[created] = name


def load_sources(names: Sequence[str], store: Any | None) -> list[Source]:
    """Every source, refused as a whole if two are one session or the scales differ."""
    seen = Seen()
    sources = []
    for name in names:
        source = load_source(name, store)
        seen.add(source)
        sources.append(source)
    return sources
