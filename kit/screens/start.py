"""The first screen: a new workshop, a saved one to carry on with, the demo, the language."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from kit.deck import load_deck
from kit.errors import KitError
from kit.i18n import LANGUAGES
from kit.screens.base import Command, KitScreen
from kit.view import format_date, progress_text, shorten
from kit.widgets.keys import KeyBar


class StartScreen(KitScreen):
    """New session, resume list (date, association, progress), demo, language."""

    HELP = "help.start"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("n", "new", "key.new"),
        Binding("d", "demo", "key.demo"),
        Binding("l", "language", "key.language"),
        Binding("enter", "resume", "key.resume"),
        Binding("q", "app.quit", "key.quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="start"):
            yield Static(id="start-title")
            yield Static(id="start-subtitle")
            with Horizontal(id="start-buttons"):
                yield Button(self.t("start.new"), id="new", variant="primary")
                yield Button(self.t("start.demo"), id="demo")
                yield Button(self.t("start.language"), id="language")
            yield Static(self.t("start.saved"), id="start-saved-title")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield Static(id="start-empty")
            yield Static(id="start-motto")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        try:
            deck = load_deck()
        except KitError as error:
            self.fail(error)
            deck = None
        if deck is not None:
            symbols = " ".join(a.symbol for a in deck.areas)
            self.query_one("#start-title", Static).update(Text(
                f"{symbols}  {self.t('start.title', deck=deck.short_title(self.lang))}"))
            self.query_one("#start-subtitle", Static).update(Text(deck.title(self.lang)))
            if deck.motto is not None:
                self.query_one("#start-motto", Static).update(Text(f"“{deck.motto(self.lang)}”"))
        self.refresh_sessions()
        self._fresh = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_fresh", False):  # just filled by on_mount: once is enough
            self._fresh = False
            return
        self.refresh_sessions()

    def refresh_sessions(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.clear(columns=True)
        empty = self.query_one("#start-empty", Static)
        if self.kit.store_error is not None:
            empty.update(Text(self.kit.store_error.message(self.lang)))
            empty.add_class("-error")
            table.display = False
            return
        infos = self.kit.store.sessions()
        table.display = bool(infos)
        empty.update("" if infos else Text(self.t("start.no_sessions")))
        if not infos:
            self.query_one("#new", Button).focus()
            return
        title_width = max(20, self.app.size.width - 12 - 16 - 10 - 12)
        table.add_column(self.t("start.col.date"), width=12)
        table.add_column(self.t("start.col.workshop"), width=title_width)
        table.add_column(self.t("start.col.progress"), width=16)
        table.add_column(self.t("start.col.entries"), width=10)
        for info in infos:
            title = info.title + (f" – {info.association}" if info.association else "")
            table.add_row(format_date(info.date, self.lang), Text(shorten(title, title_width)),
                          progress_text(info.screen, info.area_number, info.area_count,
                                        self.lang),
                          str(info.entries), key=info.id)
        table.focus()  # Enter carries on with the newest workshop

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            table = self.query_one("#sessions", DataTable)
            return table.display and table.row_count > 0
        if action in ("new", "demo"):
            return self.kit.store_error is None
        return True

    async def action_new(self) -> None:
        self.kit.new_session()

    async def action_demo(self) -> None:
        self.kit.open_demo()

    def action_language(self) -> None:
        codes = list(LANGUAGES)
        chosen = codes[(codes.index(self.lang) + 1) % len(codes)]
        self.kit.explicit_lang = chosen  # the user's choice: sessions open in it too
        self.kit.set_language(chosen)
        self.app.switch_screen(StartScreen())

    async def action_resume(self) -> None:
        table = self.query_one("#sessions", DataTable)
        if table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        if row_key.value is not None:
            self.kit.open_session(row_key.value)

    @on(Button.Pressed)
    async def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "new":
            await self.action_new()
        elif event.button.id == "demo":
            await self.action_demo()
        elif event.button.id == "language":
            self.action_language()

    @on(DataTable.RowSelected)
    async def selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.kit.open_session(event.row_key.value)

    def palette(self) -> list[Command]:
        return [
            (self.t("start.new"), self.t("cmd.new.help"), self.action_new),
            (self.t("start.demo"), self.t("cmd.demo.help"), self.action_demo),
            (self.t("start.language"), self.t("cmd.language.help"), self.action_language),
        ]
