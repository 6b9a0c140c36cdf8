"""`?`: what the current screen is for and every key it has, hidden ones included."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from kit.screens.base import KitModal


def _within(key: str, display: str) -> bool:
    """Whether `key` is already said by `display`: the same, or a sign inside it ("←" in
    "←→"); a letter is never taken as part of another key ("q" is not "^q")."""
    return key == display or (not key.isalnum() and key in display)


def help_rows(screen: Screen[Any], app: App[Any]) -> list[tuple[str, str]]:
    """(keys, what they do): one row per thing to do, every key of it once in that row.

    Made from the screen's and the app's bindings as they are (in the user's words), so the
    help cannot list a key twice or one that is not there: "←→ / n" for the keys that change
    the area, not three rows that say "osa-alue". A key shown as part of another's display
    ("←" inside "←→") is not repeated.
    """
    rows: dict[str, list[str]] = {}
    own = {b.key for b in Binding.make_bindings(getattr(screen, "BINDINGS", []))}
    own |= {b.key for b in Binding.make_bindings(getattr(app, "BINDINGS", []))}
    seen_keys: set[str] = set()
    for node in (screen, app):
        for key, binding in node._bindings:
            if (not binding.description or binding.system or key not in own
                    or key in seen_keys):
                continue
            seen_keys.add(key)  # a key the screen has is not the app's too
            shown = app.get_key_display(binding)
            keys = rows.setdefault(binding.description, [])
            if any(_within(shown, other) for other in keys):
                continue
            keys[:] = [other for other in keys if not _within(other, shown)] + [shown]
    return [(" / ".join(keys), words) for words, keys in rows.items()]


class HelpScreen(KitModal[None]):
    """The help of the screen below it; any of Esc, ? or q closes it."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "close", "key.close"),
        Binding("question_mark", "close", "key.close", show=False),
        Binding("q", "close", "key.close", show=False),
    ]

    def __init__(self, about: Screen[Any]) -> None:
        self.about = about
        super().__init__()

    def compose(self) -> ComposeResult:
        help_key = getattr(self.about, "HELP", "") or "help.general"
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static(Text(self.t("help.title"), style="bold"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(Text(self.t(help_key)), id="help-text")
                yield Static(self._keys(), id="help-keys")
            yield Static(Text(self.t("help.close")), id="help-close")

    def _keys(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, words in help_rows(self.about, self.app):
            table.add_row(Text(keys), Text(words))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
