"""The one exception type for errors a user can cause (bad deck, bad import, unknown session).

It carries a translation key and its parameters rather than a finished sentence, so the CLI and
the app can each say it in the user's language.
"""

from __future__ import annotations

import errno
from typing import Any


class KitError(Exception):
    """A problem the user can fix; shown as one line, never as a traceback."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "fi") -> str:
        from kit.i18n import t

        return t(self.key, lang, **self.localised_params(lang))

    def localised_params(self, lang: str) -> dict[str, Any]:
        from kit.i18n import t

        params = dict(self.params)
        if isinstance(params.get("errno"), int):  # the OS says it in English; we say it in ours
            name = errno.errorcode.get(params["errno"], "")
            translated = t(f"os.{name}", lang)
            if translated != f"os.{name}":
                params["detail"] = translated
        for name, value in params.items():  # a cause carried along is said in the same words
            if isinstance(value, KitError):
                params[name] = value.message(lang)
        if "expected" in params:  # the kind of value wanted: "string" is not a Finnish word
            translated = t(f"type.{params['expected']}", lang)
            if translated != f"type.{params['expected']}":
                params["expected"] = translated
        if "field" in params:  # field names are words in the user's language too
            params["field"] = t(f"field.{params['field']}", lang)
        return params

    def __str__(self) -> str:  # English in logs and test failures
        return self.message("en")


def os_error(key: str, path: object, exc: OSError) -> KitError:
    """A KitError for a failed file operation, with the reason in the user's language."""
    return KitError(key, path=str(path), detail=exc.strerror or str(exc), errno=exc.errno)
