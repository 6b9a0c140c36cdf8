"""The JSON export: a whole session, with a copy of its deck, that another laptop can import.

The format is documented in docs/json-format.md. Entry ids are renumbered from 1 in the file,
so exporting an imported session gives the same file (apart from the session id).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from kit.deck import Deck, parse_deck
from kit.errors import KitError, os_error
from kit.session import BallotTotals, Entry, SessionMeta, SessionState, Snapshot, validate_meta

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
    """Read an export and check all of it; any problem is a `KitError` naming where it is.

    Every field is checked here, before the store is touched: times, entry ids (1, 2, 3 … in
    order), every entry against the deck and the session as if it were recorded again, and
    the ballot totals against the deck. The store then writes all of it or nothing.
    """
    if len(raw) > MAX_IMPORT_BYTES:
        raise KitError("import.too_large", limit=MAX_IMPORT_BYTES // (1024 * 1024))
    data = _parse(raw)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KitError("import.not_export")
    if data.get("version") != VERSION:
        raise KitError("import.bad_version", version=_shown(data.get("version")), known=VERSION)
    _exact(data, {"format", "version", "session", "deck", "entries", "ballots"}, "")
    try:
        deck = parse_deck(_mapping(data["deck"], "deck"), "deck")
    except KitError as exc:
        if exc.key.startswith("import."):
            raise
        raise KitError("import.bad_deck", reason=exc) from None
    meta = _meta(_mapping(data["session"], "session"), deck)
    entries = _entries(_list(data["entries"], "entries"), meta, deck)
    ballots = _ballots(_list(data["ballots"], "ballots"), meta, deck)
    return meta, deck, entries, ballots


def fingerprint(raw: bytes | str) -> str:
    """What makes two export files "the same" for import: SHA-256 of their content without
    `session.id` and layout (so a file exported again from its imported copy, or indented
    otherwise, is the same too). Call only on a file `loads` accepted."""
    data = json.loads(raw)
    data["session"].pop("id", None)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def source_id(raw: bytes | str) -> str:
    """The id the session had where it was exported (only for a file `loads` accepted)."""
    return str(json.loads(raw)["session"]["id"])


def line_of(raw: bytes | str, where: str) -> int | None:
    """The line of the file where the value at `where` ("entries[3].at") begins, for a file
    that is JSON; None if it cannot be found (or the file is one long line)."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        at = _value_at(text, [int(n) if n else k for k, n in _PATH.findall(where)])
    except (ValueError, IndexError, RecursionError):
        return None
    if at is None or "\n" not in text.strip():
        return None
    return text.count("\n", 0, at) + 1


_PATH = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")
_SPACE = re.compile(r"\s*")


def _value_at(text: str, path: list[str | int]) -> int | None:
    """Where the value at `path` starts, walking the text (skipping other values whole)."""
    decoder = json.JSONDecoder()
    at = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    for step in path:
        if isinstance(step, str):
            if text[at] != "{":
                return None
            at += 1
            while True:
                at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
                if text[at] == "}":
                    return None
                key, at = json.decoder.scanstring(text, at + 1)
                at = _SPACE.match(text, at).end() + 1  # type: ignore[union-attr]  # the ":"
                at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
                if key == step:
                    break
                _value, at = decoder.raw_decode(text, at)
                at = _SPACE.match(text, at).end() + 1  # type: ignore[union-attr]  # "," or "}"
        else:
            if text[at] != "[":
                return None
            at += 1
            for _ in range(step):
                at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
                _value, at = decoder.raw_decode(text, at)
                at = _SPACE.match(text, at).end() + 1  # type: ignore[union-attr]
            at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
    return at


# --- reading ---------------------------------------------------------------------------------

# What json says, in English, and our key for each; anything else is just "broken here".
_JSON_PROBLEMS = (
    ("Expecting property name", "name"),
    ("Expecting ',' delimiter", "comma"),
    ("Expecting ':' delimiter", "colon"),
    ("Expecting value", "value"),
    ("Unterminated string", "string"),
    ("Invalid control character", "control"),
    ("Invalid \\", "escape"),
    ("Extra data", "extra"),
    ("Illegal trailing comma", "trailing"),
)


_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _parse(raw: bytes | str) -> Any:
    """JSON from bytes, with every failure as our own words: never json's or codecs' English."""
    if isinstance(raw, bytes):
        if raw.startswith(b"%PDF"):
            raise KitError("import.pdf")
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # text, but saved as UTF-16 or -32
            raise KitError("import.not_utf8", line=1)
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if b"\x00" in raw[:1024] or not raw[: exc.start].strip():
                raise KitError("import.binary") from None
            line = raw[: exc.start].count(b"\n") + 1
            raise KitError("import.not_utf8", line=line) from None
        if _BINARY.search(raw, 0, 1024):  # a zip (xlsx, docx) can begin as valid UTF-8
            raise KitError("import.binary")
    if not raw.strip():
        raise KitError("import.empty")
    try:
        return json.loads(raw)
    except RecursionError:
        raise KitError("import.too_deep") from None
    except json.JSONDecodeError as exc:
        problem = next((key for text, key in _JSON_PROBLEMS if exc.msg.startswith(text)), "other")
        if raw[exc.pos: exc.pos + 1] in ("}", "]") and raw[: exc.pos].rstrip().endswith(","):
            problem = "trailing"  # older Pythons call it a missing name or value
        raise KitError("import.not_json", line=exc.lineno, column=exc.colno,
                       problem=KitError(f"import.json.{problem}")) from None
    except ValueError:  # e.g. a number too long to convert
        raise KitError("import.bad_json_value") from None


def _meta(item: Mapping[str, Any], deck: Deck) -> SessionMeta:
    keys = {"id", "created", "lang", "association", "title", "date", "place", "facilitator",
            "areas", "dots", "minutes", "groups"}
    _exact(item, keys, "session")
    for key in keys - {"areas", "dots", "minutes", "groups"}:
        _str(item[key], f"session.{key}")
    _time(item["created"], "session.created")
    for n, area in enumerate(_list(item["areas"], "session.areas")):
        _str(area, f"session.areas[{n}]")
    for key in ("dots", "minutes"):
        _count(item[key], f"session.{key}")
    ids: set[int] = set()
    for n, group in enumerate(_list(item["groups"], "session.groups")):
        where = f"session.groups[{n}]"
        group = _mapping(group, where)
        _exact(group, {"id", "name"}, where)
        group_id = _count(group["id"], f"{where}.id")
        if group_id in ids:
            raise KitError("import.id_twice", where=f"{where}.id", value=group_id)
        ids.add(group_id)
        _str(group["name"], f"{where}.name")
    meta = SessionMeta.from_dict(item)
    try:
        return validate_meta(deck, meta)
    except KitError as exc:
        raise KitError("import.bad_value", where="session", reason=exc) from None


def _entries(items: list[Any], meta: SessionMeta, deck: Deck) -> list[Entry]:
    """Each entry in the file's numbering, checked and folded as the store would record it."""
    state = SessionState(meta, deck)
    entries = []
    for n, item in enumerate(items):
        where = f"entries[{n}]"
        item = _mapping(item, where)
        _exact(item, {"id", "kind", "at", "data"}, where)
        entry_id = _count(item["id"], f"{where}.id")
        if entry_id != n + 1:
            raise KitError("import.bad_entry_id", where=f"{where}.id", value=entry_id,
                           expected=n + 1)
        kind = _str(item["kind"], f"{where}.kind")
        at = _time(item["at"], f"{where}.at")
        data = _mapping(item["data"], f"{where}.data")
        target = data.get("target")
        if "target" in data and (isinstance(target, bool) or not isinstance(target, int)
                                 or not 1 <= target <= n):
            raise KitError("import.bad_reference", where=f"{where}.data.target",
                           value=_shown(target))
        try:
            cleaned = state.check(kind, data)
        except KitError as exc:
            raise KitError("import.bad_value", where=f"{where}.data", reason=exc) from None
        entry = Entry(entry_id, kind, at, data)
        state.apply(Entry(entry_id, kind, at, cleaned))
        entries.append(entry)
    return entries


def _ballots(items: list[Any], meta: SessionMeta, deck: Deck) -> dict[str, BallotTotals]:
    levels = {lv.id for lv in deck.scale}
    ballots: dict[str, BallotTotals] = {}
    for n, item in enumerate(items):
        where = f"ballots[{n}]"
        item = _mapping(item, where)
        _exact(item, {"area", "ballots", "ratings", "dots"}, where)
        area = _str(item["area"], f"{where}.area")
        if area in ballots:
            raise KitError("import.area_twice", where=f"{where}.area", value=_shown(area))
        if area not in meta.area_ids:
            raise KitError("import.unknown", where=f"{where}.area", value=_shown(area))
        practices = {p.id for p in deck.area(area).practices}
        count = _count(item["ballots"], f"{where}.ballots")
        ratings: dict[tuple[str, str], int] = {}
        for m, r in enumerate(_list(item["ratings"], f"{where}.ratings")):
            at = f"{where}.ratings[{m}]"
            r = _mapping(r, at)
            _exact(r, {"practice", "level", "count"}, at)
            practice = _known(_str(r["practice"], f"{at}.practice"), practices, f"{at}.practice")
            level = _known(_str(r["level"], f"{at}.level"), levels, f"{at}.level")
            if (practice, level) in ratings:
                raise KitError("import.twice", where=at)
            ratings[practice, level] = _count(r["count"], f"{at}.count")
        dots: dict[str, int] = {}
        for m, d in enumerate(_list(item["dots"], f"{where}.dots")):
            at = f"{where}.dots[{m}]"
            d = _mapping(d, at)
            _exact(d, {"practice", "count"}, at)
            practice = _known(_str(d["practice"], f"{at}.practice"), practices, f"{at}.practice")
            if practice in dots:
                raise KitError("import.twice", where=at)
            dots[practice] = _count(d["count"], f"{at}.count")
        # One ballot rates a practice at most once and spends at most the session's dots.
        per_practice: dict[str, int] = {}
        for (practice_id, _level), k in ratings.items():
            per_practice[practice_id] = per_practice.get(practice_id, 0) + k
        if any(k > count for k in per_practice.values()) or sum(dots.values()) > count * max(
            meta.dots, 0
        ):
            raise KitError("import.ballots_overfull", where=where, ballots=count)
        ballots[area] = BallotTotals(count, ratings, dots)
    return ballots


# --- field checks: each names the path of the bad value -------------------------------------

# The form `now_iso` writes (and ISO 8601 with an offset): text order is then time order.
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")


def _time(value: Any, where: str) -> str:
    text = _str(value, where)
    ok = _TIME.fullmatch(text) is not None
    if ok:
        try:
            _dt.datetime.fromisoformat(text)
        except ValueError:
            ok = False
    if not ok:
        raise KitError("import.bad_time", where=where, value=_shown(text))
    return text


def _known(value: str, known: set[str], where: str) -> str:
    if value not in known:
        raise KitError("import.unknown", where=where, value=_shown(value))
    return value


def _exact(item: Mapping[str, Any], keys: set[str], where: str) -> None:
    missing, extra = sorted(keys - set(item)), sorted(set(item) - keys)
    if missing:
        raise KitError("import.missing", where=where or "/", key=missing[0])
    if extra:
        raise KitError("import.extra", where=where or "/", key=_shown(extra[0]))


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise KitError("import.want_object", where=where, value=_shown(value))
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise KitError("import.want_list", where=where, value=_shown(value))
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise KitError("import.want_text", where=where, value=_shown(value))
    return value


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise KitError("import.want_count", where=where, value=_shown(value))
    return value


def _shown(value: Any, limit: int = 40) -> str:
    """A value as it stands in the file, short and on one line, for a message."""
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return one_line(json.dumps(value, ensure_ascii=False), limit)


def one_line(text: str, limit: int = 80, *, keep_end: bool = False) -> str:
    """Text for a one-line message: line breaks and other invisible characters as "·",
    cut with "…" (a file name or a value may hold anything; of a path, keep the end)."""
    text = "".join(ch if ch == " " or unicodedata.category(ch)[0] not in "CZ" else "·"
                   for ch in text)
    if len(text) <= limit:
        return text
    return "…" + text[1 - limit:] if keep_end else text[: limit - 1] + "…"


def read_export_bytes(path: os.PathLike[str] | str, shown: object) -> bytes:
    """An export file's bytes, at most one byte over the import limit (so `loads` can say the
    file is too big); a file that cannot be read is one line naming `shown`."""
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise os_error("cli.cannot_read", shown, exc) from None
