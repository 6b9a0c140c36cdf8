"""The deck: the practice areas and practices a workshop goes through, read from a TOML file.

Deck content is frozen once loaded: sessions keep a copy (`Deck.to_dict`) and read it back with
the same validation (`parse_deck`), so a session never changes when its deck file does.
Every validation error names the file, the line and the problem (see docs/deck-format.md).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from kit.errors import KitError

FORMAT_VERSION = 1
DEFAULT_DECK = "hyvat-kaytanteet.toml"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_CODE = re.compile(r"^[A-Z]{1,4}$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_LANG = re.compile(r"^[a-z]{2}$")

PathPart = str | int


@dataclass(frozen=True)
class Text:
    """One text in several languages; Finnish is always there and is the fallback."""

    items: tuple[tuple[str, str], ...]

    def get(self, lang: str) -> str:
        for code, value in self.items:
            if code == lang:
                return value
        return self.items[0][1]

    __call__ = get

    @property
    def fi(self) -> str:
        return self.items[0][1]

    def has(self, lang: str) -> bool:
        return any(code == lang for code, _ in self.items)

    def languages(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.items)

    def to_dict(self) -> dict[str, str]:
        return dict(self.items)


@dataclass(frozen=True)
class Level:
    """One step of the rating scale; `known` is False for "don't know"."""

    id: str
    symbol: str
    label: Text
    short: Text
    known: bool


@dataclass(frozen=True)
class Practice:
    id: str
    text: Text
    points: tuple[Text, ...]
    area_id: str
    card_id: str  # e.g. "OS-2": printed on the card, read aloud in the room


@dataclass(frozen=True)
class Area:
    id: str
    code: str
    symbol: str
    colour: str
    title: Text
    intro: Text
    questions: tuple[Text, ...]
    practices: tuple[Practice, ...]


@dataclass(frozen=True)
class Deck:
    id: str
    title: Text
    short_title: Text
    motto: Text | None
    credit: Text | None
    background: Text | None
    dots: int
    minutes: int
    scale: tuple[Level, ...]
    areas: tuple[Area, ...]

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KitError("deck.no_such_area", id=area_id)

    def practice(self, practice_id: str) -> Practice:
        practice = self._practice_index.get(practice_id)
        if practice is None:
            raise KitError("deck.no_such_practice", id=practice_id)
        return practice

    @cached_property
    def _practice_index(self) -> dict[str, Practice]:
        """Practices by id: tallies and printouts look them up thousands of times."""
        return {p.id: p for p in self.practices()}

    def practices(self) -> Iterator[Practice]:
        for area in self.areas:
            yield from area.practices

    def level(self, level_id: str) -> Level:
        for level in self.scale:
            if level.id == level_id:
                return level
        raise KitError("deck.no_such_level", id=level_id)

    def texts(self) -> Iterator[tuple[str, Text]]:
        """Every text with its path, for translation checks."""
        for key in ("title", "short_title", "motto", "credit", "background"):
            value = getattr(self, key)
            if value is not None:
                yield key, value
        for i, level in enumerate(self.scale):
            yield f"scale[{i}].label", level.label
            yield f"scale[{i}].short", level.short
        for a, area in enumerate(self.areas):
            yield f"areas[{a}].title", area.title
            yield f"areas[{a}].intro", area.intro
            for q, question in enumerate(area.questions):
                yield f"areas[{a}].questions[{q}]", question
            for p, practice in enumerate(area.practices):
                yield f"areas[{a}].practices[{p}].text", practice.text
                for s, point in enumerate(practice.points):
                    yield f"areas[{a}].practices[{p}].points[{s}]", point

    def missing_translations(self, lang: str) -> list[str]:
        return [path for path, text in self.texts() if not text.has(lang)]

    def to_dict(self) -> dict[str, Any]:
        """The deck as plain data in the TOML file's shape (sessions and exports keep this)."""
        data: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "id": self.id,
            "title": self.title.to_dict(),
            "short_title": self.short_title.to_dict(),
        }
        for key in ("motto", "credit", "background"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value.to_dict()
        data["defaults"] = {"dots": self.dots, "minutes": self.minutes}
        data["scale"] = [
            {
                "id": lv.id,
                "symbol": lv.symbol,
                "label": lv.label.to_dict(),
                "short": lv.short.to_dict(),
                "known": lv.known,
            }
            for lv in self.scale
        ]
        data["areas"] = [
            {
                "id": area.id,
                "code": area.code,
                "symbol": area.symbol,
                "colour": area.colour,
                "title": area.title.to_dict(),
                "intro": area.intro.to_dict(),
                "questions": [q.to_dict() for q in area.questions],
                "practices": [
                    {"id": p.id, "text": p.text.to_dict()}
                    | ({"points": [s.to_dict() for s in p.points]} if p.points else {})
                    for p in area.practices
                ],
            }
            for area in self.areas
        ]
        return data


class DeckError(KitError):
    """A deck problem at a place: the file, the line (when known) and the path in the deck."""

    def __init__(
        self, source: str, line: int | None, where: str, problem: str, /, **params: Any
    ) -> None:
        super().__init__(problem, **params)
        self.source = source
        self.line = line
        self.where = where

    def message(self, lang: str = "fi") -> str:
        from kit.i18n import t

        place = f"{self.source}:{self.line}" if self.line else self.source
        problem = t(self.key, lang, **self.localised_params(lang))
        if self.where:
            return t("deck.error_at", lang, place=place, problem=problem, where=self.where)
        return t("deck.error", lang, place=place, problem=problem)


# --- loading -------------------------------------------------------------------------------


def default_deck_path() -> Path:
    """The shipped default deck: inside the wheel, or `cards/` of a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "cards" / DEFAULT_DECK
    if packaged.is_file():
        return packaged
    return here.parent / "cards" / DEFAULT_DECK


def load_deck(path: str | Path | None = None) -> Deck:
    """Read and validate a deck file; raise `DeckError` naming the file and line."""
    file = Path(path) if path is not None else default_deck_path()
    name = str(path) if path is not None else DEFAULT_DECK
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise DeckError(name, None, "", "deck.not_found") from None
    except OSError as exc:
        raise DeckError(name, None, "", "deck.unreadable", detail=exc.strerror or "",
                        errno=exc.errno) from None
    return _read_deck(name, raw)


@lru_cache(maxsize=8)
def _read_deck(name: str, raw: bytes) -> Deck:
    """The same bytes give the same (immutable) deck: screens ask for it again and again."""
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DeckError(name, None, "", "deck.not_utf8") from None
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", detail)
        line = int(match.group(1)) if match else None
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", detail)
        raise DeckError(name, line, "", "deck.syntax", detail=detail) from None
    return parse_deck(data, name, source)


def parse_deck(data: Mapping[str, Any], source: str = "deck", text: str | None = None) -> Deck:
    """Validate plain deck data (from TOML or a session's copy) into a `Deck`."""
    return _Parser(source, text).deck(data)


class _Parser:
    def __init__(self, source: str, text: str | None) -> None:
        self.source = source
        self.lines = text.splitlines() if text is not None else None
        self.ids: dict[str, str] = {}

    # errors ----------------------------------------------------------------------------------

    def fail(self, path: tuple[PathPart, ...], problem: str, **params: Any) -> DeckError:
        line = _locate(self.lines, path) if self.lines is not None else None
        return DeckError(self.source, line, _format_path(path), problem, **params)

    # pieces ----------------------------------------------------------------------------------

    def table(
        self,
        value: Any,
        path: tuple[PathPart, ...],
        required: set[str],
        optional: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "deck.wrong_type", expected="table")
        for key in value:
            if key not in required and key not in optional:
                raise self.fail((*path, key), "deck.unknown_key", key=key)
        for key in sorted(required):
            if key not in value:
                raise self.fail(path, "deck.missing_key", key=key)
        return value

    def list(self, value: Any, path: tuple[PathPart, ...], low: int, high: int) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, "deck.wrong_type", expected="list")
        if not low <= len(value) <= high:
            raise self.fail(path, "deck.count", low=low, high=high, count=len(value))
        return value

    def string(self, value: Any, path: tuple[PathPart, ...]) -> str:
        if not isinstance(value, str):
            raise self.fail(path, "deck.wrong_type", expected="string")
        if not value.strip():
            raise self.fail(path, "deck.empty_text")
        return value.strip()

    def integer(self, value: Any, path: tuple[PathPart, ...], low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, "deck.wrong_type", expected="integer")
        if not low <= value <= high:
            raise self.fail(path, "deck.range", low=low, high=high, value=value)
        return value

    def text(self, value: Any, path: tuple[PathPart, ...]) -> Text:
        if isinstance(value, str):
            raise self.fail(path, "deck.text_needs_languages")
        if not isinstance(value, Mapping):
            raise self.fail(path, "deck.wrong_type", expected="table")
        if "fi" not in value:
            raise self.fail(path, "deck.missing_fi")
        items = [("fi", self.string(value["fi"], (*path, "fi")))]
        for lang, item in value.items():
            if lang == "fi":
                continue
            if not isinstance(lang, str) or not _LANG.match(lang):
                raise self.fail((*path, lang), "deck.bad_language", key=lang)
            items.append((lang, self.string(item, (*path, lang))))
        return Text(tuple(items))

    def ident(self, value: Any, path: tuple[PathPart, ...]) -> str:
        ident = self.string(value, path)
        if not _ID.match(ident):
            raise self.fail(path, "deck.bad_id", value=ident)
        first = self.ids.get(ident)
        if first is not None:
            raise self.fail(path, "deck.duplicate_id", id=ident, first=first)
        self.ids[ident] = _format_path(path)
        return ident

    def symbol(self, value: Any, path: tuple[PathPart, ...]) -> str:
        symbol = self.string(value, path)
        if len(symbol) != 1 or not symbol.isprintable():
            raise self.fail(path, "deck.bad_symbol", value=symbol)
        return symbol

    # the deck --------------------------------------------------------------------------------

    def deck(self, data: Mapping[str, Any]) -> Deck:
        top = self.table(
            data,
            (),
            {"format", "id", "title", "short_title", "defaults", "scale", "areas"},
            {"motto", "credit", "background"},
        )
        version = self.integer(top["format"], ("format",), 1, 10**6)
        if version != FORMAT_VERSION:
            raise self.fail(("format",), "deck.bad_format", value=version, known=FORMAT_VERSION)
        defaults = self.table(top["defaults"], ("defaults",), {"dots", "minutes"})
        scale = tuple(
            self.level(item, ("scale", i))
            for i, item in enumerate(self.list(top["scale"], ("scale",), 2, 7))
        )
        if not any(level.known for level in scale):
            raise self.fail(("scale",), "deck.no_known_level")
        areas = tuple(
            self.area(item, ("areas", i))
            for i, item in enumerate(self.list(top["areas"], ("areas",), 1, 20))
        )
        codes: dict[str, int] = {}
        for i, area in enumerate(areas):
            if area.code in codes:
                raise self.fail(("areas", i, "code"), "deck.duplicate_code", code=area.code)
            codes[area.code] = i

        def optional_text(key: str) -> Text | None:
            return self.text(top[key], (key,)) if key in top else None

        return Deck(
            id=self.ident(top["id"], ("id",)),
            title=self.text(top["title"], ("title",)),
            short_title=self.text(top["short_title"], ("short_title",)),
            motto=optional_text("motto"),
            credit=optional_text("credit"),
            background=optional_text("background"),
            dots=self.integer(defaults["dots"], ("defaults", "dots"), 1, 20),
            minutes=self.integer(defaults["minutes"], ("defaults", "minutes"), 1, 240),
            scale=scale,
            areas=areas,
        )

    def level(self, value: Any, path: tuple[PathPart, ...]) -> Level:
        item = self.table(value, path, {"id", "symbol", "label", "short", "known"})
        known = item["known"]
        if not isinstance(known, bool):
            raise self.fail((*path, "known"), "deck.wrong_type", expected="true/false")
        return Level(
            id=self.ident(item["id"], (*path, "id")),
            symbol=self.symbol(item["symbol"], (*path, "symbol")),
            label=self.text(item["label"], (*path, "label")),
            short=self.text(item["short"], (*path, "short")),
            known=known,
        )

    def area(self, value: Any, path: tuple[PathPart, ...]) -> Area:
        item = self.table(
            value,
            path,
            {"id", "code", "symbol", "colour", "title", "intro", "questions", "practices"},
        )
        area_id = self.ident(item["id"], (*path, "id"))
        code = self.string(item["code"], (*path, "code"))
        if not _CODE.match(code):
            raise self.fail((*path, "code"), "deck.bad_code", value=code)
        colour = self.string(item["colour"], (*path, "colour"))
        if not _COLOUR.match(colour):
            raise self.fail((*path, "colour"), "deck.bad_colour", value=colour)
        questions = tuple(
            self.text(q, (*path, "questions", i))
            for i, q in enumerate(self.list(item["questions"], (*path, "questions"), 1, 5))
        )
        raw_practices = item["practices"]
        if isinstance(raw_practices, list) and not raw_practices:
            raise self.fail((*path, "practices"), "deck.empty_area")
        practices = tuple(
            self.practice(p, (*path, "practices", i), area_id, f"{code}-{i + 1}")
            for i, p in enumerate(self.list(raw_practices, (*path, "practices"), 1, 60))
        )
        return Area(
            id=area_id,
            code=code,
            symbol=self.symbol(item["symbol"], (*path, "symbol")),
            colour=colour.upper(),
            title=self.text(item["title"], (*path, "title")),
            intro=self.text(item["intro"], (*path, "intro")),
            questions=questions,
            practices=practices,
        )

    def practice(
        self, value: Any, path: tuple[PathPart, ...], area_id: str, card_id: str
    ) -> Practice:
        item = self.table(value, path, {"id", "text"}, {"points"})
        points: tuple[Text, ...] = ()
        if "points" in item:
            points = tuple(
                self.text(p, (*path, "points", i))
                for i, p in enumerate(self.list(item["points"], (*path, "points"), 1, 10))
            )
        return Practice(
            id=self.ident(item["id"], (*path, "id")),
            text=self.text(item["text"], (*path, "text")),
            points=points,
            area_id=area_id,
            card_id=card_id,
        )


def _format_path(path: tuple[PathPart, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*("[^"]*"|[A-Za-z0-9_-]+)\s*=')


def _locate(lines: list[str] | None, path: tuple[PathPart, ...]) -> int | None:
    """The line that best matches `path`: the key itself, else its nearest enclosing table.

    TOML parsers keep no positions, so this walks the text, counting `[[array]]` headers to
    know which element each line belongs to. Good enough for hand-written deck files.
    """
    if not lines or not path:
        return 1 if lines and not path else None
    counts: dict[tuple[PathPart, ...], int] = {}
    table: tuple[PathPart, ...] = ()
    best_line, best_len = None, -1

    def consider(candidate: tuple[PathPart, ...], number: int) -> None:
        nonlocal best_line, best_len
        if path[: len(candidate)] == candidate and len(candidate) > best_len:
            best_line, best_len = number, len(candidate)

    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            names = [n.strip().strip('"') for n in header.group(2).split(".")]
            resolved: list[PathPart] = []
            prefix: tuple[PathPart, ...] = ()
            for depth, name in enumerate(names):
                resolved.append(name)
                prefix = tuple(resolved)
                is_last = depth == len(names) - 1
                if header.group(1) == "[[" and is_last:
                    index = counts.get(prefix, -1) + 1
                    counts[prefix] = index
                    for key in [k for k in counts if k[: len(prefix)] == prefix and k != prefix]:
                        del counts[key]
                    resolved.append(index)
                elif prefix in counts:
                    resolved.append(counts[prefix])
            table = tuple(resolved)
            consider(table, number)
            continue
        key = _KEY.match(line)
        if key:
            consider((*table, key.group(1).strip('"')), number)
    return best_line
