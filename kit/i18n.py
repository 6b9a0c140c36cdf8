"""The translation layer: every user-visible string is looked up here by key.

Catalogues are TOML files in `kit/locales/` (one per language, flat `key = "text"` with
`{name}` placeholders), so translators edit plain text, not Python.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("fi", "en")
DEFAULT_LANGUAGE = "fi"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The messages of one language (read once per process)."""
    text = resources.files("kit.locales").joinpath(f"{lang}.toml").read_text("utf-8")
    return tomllib.loads(text)


def normalise(lang: str | None) -> str:
    """A supported language code; anything else means the default."""
    if lang and lang.lower() in LANGUAGES:
        return lang.lower()
    return DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The message `key` in `lang`, falling back to Finnish, then to the key itself."""
    text = catalogue(normalise(lang)).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text
