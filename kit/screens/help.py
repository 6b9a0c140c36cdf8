"""`?`: what the current screen is for and every key it has, hidden ones included."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from kit.screens.base import KitModal


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
        seen: set[tuple[str, str]] = set()
        # The screen's own keys and the app's, in the user's words (not Textual's built-ins).
        own = {b.key for b in Binding.make_bindings(getattr(self.about, "BINDINGS", []))}
        own |= {b.key for b in Binding.make_bindings(getattr(self.app, "BINDINGS", []))}
        for node in (self.about, self.app):
            for key, binding in node._bindings:
                if not binding.description or binding.system or key not in own:
                    continue
                shown = self.app.get_key_display(binding)
                row = (shown, binding.description)
                if row in seen:
                    continue
                seen.add(row)
                table.add_row(Text(shown), Text(binding.description))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
