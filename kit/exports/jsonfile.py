"""The JSON export: a whole session, with a copy of its deck, that another laptop can import.

The format is documented in docs/json-format.md. Entry ids are renumbered from 1 in the file,
so exporting an imported session gives the same file (apart from the session id).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kit.deck import Deck, parse_deck
from kit.errors import KitError
from kit.session import BallotTotals, Entry, SessionMeta, Snapshot

FORMAT = "tyopaja-session"
VERSION = 1
MAX_IMPORT_BYTES = 64 * 1024 * 1024


def to_data(snapshot: Snapshot, entries: list[Entry]) -> dict[str, Any]:
    """The session as plain data (the log renumbered from 1)."""
    numbers = {entry.id: n for n, entry in enumerate(entries, start=1)}
    out_entries = []
    for entry in entries:
        data = dict(entry.data)
        if "target" in data:
            data["target"] = numbers[data["target"]]
        out_entries.append({"id": numbers[entry.id], "kind": entry.kind, "at": entry.at,
                            "data": data})
    ballots = []
    for area in snapshot.deck.areas:
        totals = snapshot.ballot_totals(area.id)
        if not totals.ballots and not totals.ratings and not totals.dots:
            continue
        ballots.append({
            "area": area.id,
            "ballots": totals.ballots,
            "ratings": [
                {"practice": p, "level": lv, "count": n}
                for (p, lv), n in sorted(totals.ratings.items())
            ],
            "dots": [{"practice": p, "count": n} for p, n in sorted(totals.dots.items())],
        })
    return {
        "format": FORMAT,
        "version": VERSION,
        "session": snapshot.meta.to_dict(),
        "deck": snapshot.deck.to_dict(),
        "entries": out_entries,
        "ballots": ballots,
    }


def dumps(snapshot: Snapshot, entries: list[Entry]) -> str:
    return json.dumps(to_data(snapshot, entries), ensure_ascii=False, indent=2) + "\n"


def loads(raw: bytes | str) -> tuple[SessionMeta, Deck, list[Entry], dict[str, BallotTotals]]:
    """Read an export; any problem is a `KitError` (the store is not touched here)."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise KitError("import.too_large", limit=MAX_IMPORT_BYTES // (1024 * 1024))
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise KitError("import.not_json", detail=str(exc)[:120]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KitError("import.not_export")
    if data.get("version") != VERSION:
        raise KitError("import.bad_version", version=data.get("version"), known=VERSION)
    if set(data) != {"format", "version", "session", "deck", "entries", "ballots"}:
        raise KitError("import.bad_shape", where="/")
    try:
        deck = parse_deck(_mapping(data["deck"], "deck"), "deck")
    except KitError as exc:
        raise KitError("import.bad_deck", detail=exc.message("en")) from None
    meta = _meta(_mapping(data["session"], "session"))
    entries = [_entry(item, n) for n, item in enumerate(_list(data["entries"], "entries"))]
    ballots = {}
    for n, item in enumerate(_list(data["ballots"], "ballots")):
        where = f"ballots[{n}]"
        item = _mapping(item, where)
        _exact(item, {"area", "ballots", "ratings", "dots"}, where)
        area = _str(item["area"], f"{where}.area")
        ratings = {}
        for r in _list(item["ratings"], f"{where}.ratings"):
            r = _mapping(r, f"{where}.ratings")
            _exact(r, {"practice", "level", "count"}, f"{where}.ratings")
            key = (_str(r["practice"], where), _str(r["level"], where))
            ratings[key] = _count(r["count"], f"{where}.ratings")
        dots = {}
        for d in _list(item["dots"], f"{where}.dots"):
            d = _mapping(d, f"{where}.dots")
            _exact(d, {"practice", "count"}, f"{where}.dots")
            dots[_str(d["practice"], where)] = _count(d["count"], f"{where}.dots")
        if area in ballots:
            raise KitError("import.bad_shape", where=where)
        try:
            practices = {p.id for p in deck.area(area).practices}
        except KitError:
            raise KitError("import.bad_shape", where=f"{where}.area") from None
        levels = {lv.id for lv in deck.scale}
        if any(p not in practices or lv not in levels for p, lv in ratings) or any(
            p not in practices for p in dots
        ):
            raise KitError("import.bad_shape", where=where)
        count = _count(item["ballots"], f"{where}.ballots")
        # One ballot rates a practice at most once and spends at most the session's dots.
        per_practice: dict[str, int] = {}
        for (practice_id, _level), n in ratings.items():
            per_practice[practice_id] = per_practice.get(practice_id, 0) + n
        if any(n > count for n in per_practice.values()) or sum(dots.values()) > count * max(
            meta.dots, 0
        ):
            raise KitError("import.bad_ballots")
        ballots[area] = BallotTotals(count, ratings, dots)
    return meta, deck, entries, ballots


def _meta(item: Mapping[str, Any]) -> SessionMeta:
    keys = {"id", "created", "lang", "association", "title", "date", "place", "facilitator",
            "areas", "dots", "minutes", "groups"}
    _exact(item, keys, "session")
    for key in keys - {"areas", "dots", "minutes", "groups"}:
        _str(item[key], f"session.{key}")
    for area in _list(item["areas"], "session.areas"):
        _str(area, "session.areas")
    for key in ("dots", "minutes"):
        _count(item[key], f"session.{key}")
    for group in _list(item["groups"], "session.groups"):
        group = _mapping(group, "session.groups")
        _exact(group, {"id", "name"}, "session.groups")
        _count(group["id"], "session.groups")
        _str(group["name"], "session.groups")
    return SessionMeta.from_dict(item)


def _entry(item: Any, n: int) -> Entry:
    where = f"entries[{n}]"
    item = _mapping(item, where)
    _exact(item, {"id", "kind", "at", "data"}, where)
    return Entry(_count(item["id"], where), _str(item["kind"], where), _str(item["at"], where),
                 _mapping(item["data"], where))


def _exact(item: Mapping[str, Any], keys: set[str], where: str) -> None:
    if set(item) != keys:
        raise KitError("import.bad_shape", where=where)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise KitError("import.bad_shape", where=where)
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise KitError("import.bad_shape", where=where)
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise KitError("import.bad_shape", where=where)
    return value


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise KitError("import.bad_shape", where=where)
    return value
