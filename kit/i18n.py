"""The translation layer: every user-visible string is looked up here by key.

Catalogues are TOML files in `kit/locales/<lang>/` (flat `key = "text"` with `{name}`
placeholders), one file per part of the kit (core, app, print), so translators edit plain
text, not Python. All files of a language are merged; a key may appear in only one.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("fi", "en")
DEFAULT_LANGUAGE = "fi"
LOCALES = Path(__file__).resolve().parent / "locales"


@cache
def catalogue(lang: str) -> dict[str, Any]:
    """The messages of one language (read once per process)."""
    merged: dict[str, Any] = {}
    for item in sorted((LOCALES / lang).glob("*.toml")):
        merged.update(read_catalogue(item.read_text("utf-8")))
    return merged


# A catalogue line: "key" = "text", where a text may escape only \", \\ and \n.
_STRING = r'"((?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\["\\n])*)"'
_PAIR = re.compile(rf"{_STRING}[ \t]*=[ \t]*{_STRING}[ \t]*(?:#.*)?")
_TABLE = re.compile(r"\[([A-Za-z0-9_-]+)\][ \t]*(?:#.*)?")
_ESCAPE = re.compile(r"\\(.)")
_ESCAPED = {"n": "\n", '"': '"', "\\": "\\"}


def read_catalogue(text: str) -> dict[str, Any]:
    """A catalogue file's messages, as `tomllib.loads` reads them.

    Catalogues are the simplest TOML (quoted keys, one-line strings, a table or two), and
    Python's TOML parser took a twentieth of the app's start-up to read them; these lines are
    read here, and a file with anything else in it goes to `tomllib` (a test checks that both
    agree on every shipped file and on generated ones).
    """
    result: dict[str, Any] = {}
    table = result
    for raw in text.split("\n"):
        line = (raw[:-1] if raw.endswith("\r") else raw).strip(" \t")
        if not line or line.startswith("#"):
            continue
        pair = _PAIR.fullmatch(line)
        if pair is not None:
            key, value = (_ESCAPE.sub(lambda m: _ESCAPED[m[1]], part) for part in pair.groups())
            if key in table:
                break  # tomllib says what is wrong
            table[key] = value
            continue
        header = _TABLE.fullmatch(line)
        if header is None or header[1] in result:
            break
        table = result[header[1]] = {}
    else:
        return result
    import tomllib

    return tomllib.loads(text)


def normalise(lang: str | None) -> str:
    """A supported language code; anything else means the default."""
    if lang and lang.lower() in LANGUAGES:
        return lang.lower()
    return DEFAULT_LANGUAGE


def plural_form(lang: str, count: int) -> str:
    """The plural category of `count` in `lang` ("one" or "other").

    Finnish and English alike have one singular form, for exactly 1, and one plural form for
    everything else, 0 included ("0 ryhmää", "0 groups"); a language with more forms adds its
    rule here and its `key.<form>` messages in its catalogue.
    """
    return "one" if count == 1 else "other"


def _count(params: dict[str, Any]) -> int | None:
    """The number a message's plural form follows: `n`, else its only integer parameter."""
    if isinstance(params.get("n"), int) and not isinstance(params["n"], bool):
        return int(params["n"])
    numbers = [v for v in params.values() if isinstance(v, int) and not isinstance(v, bool)]
    return numbers[0] if len(numbers) == 1 else None


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The message `key` in `lang`, falling back to Finnish, then to the key itself.

    Plural forms: the count (`n`, or the message's only integer parameter) picks its form by
    `plural_form`, and `key.<form>` (e.g. `key.one`) is used where the catalogue has it.
    """
    count = _count(params) if params else None
    if count is not None:
        form = f"{key}.{plural_form(normalise(lang), count)}"
        if form in catalogue(normalise(lang)):
            key = form
    text = catalogue(normalise(lang)).get(key)
    if not isinstance(text, str):
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
        text = text if isinstance(text, str) else key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text
