"""The translation layer: every user-visible string is looked up here by key.

Catalogues are TOML files in `kit/locales/<lang>/` (flat `key = "text"` with `{name}`
placeholders), one file per part of the kit (core, app, print), so translators edit plain
text, not Python. All files of a language are merged; a key may appear in only one.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("fi", "en")
DEFAULT_LANGUAGE = "fi"


@cache
def catalogue(lang: str) -> dict[str, Any]:
    """The messages of one language (read once per process)."""
    merged: dict[str, Any] = {}
    folder = resources.files("kit.locales").joinpath(lang)
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".toml"):
            merged.update(tomllib.loads(item.read_text("utf-8")))
    return merged


def normalise(lang: str | None) -> str:
    """A supported language code; anything else means the default."""
    if lang and lang.lower() in LANGUAGES:
        return lang.lower()
    return DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The message `key` in `lang`, falling back to Finnish, then to the key itself."""
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
