"""The first screen: a new workshop, a saved one to carry on with, the demo, the language."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.widgets import Static

from kit.deck import Deck, load_deck
from kit.errors import KitError
from kit.i18n import LANGUAGES
from kit.screens.base import Command, KitScreen
from kit.view import format_date, progress_text
from kit.widgets.keys import KeyBar
from kit.widgets.rowlist import PLAIN, RowList


class StartScreen(KitScreen):
    """New session, resume list (date, association, progress), demo, language."""

    HELP = "help.start"
    FIRST = True
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("n", "new", "key.new"),
        Binding("d", "demo", "key.demo"),
        Binding("l", "language", "key.language"),
        Binding("m", "merge", "key.start_merge"),  # kit/screens/merge.py
        Binding("enter", "resume", "key.resume"),
        Binding("delete", "delete_session", "key.delete_session"),
        Binding("q", "app.quit", "key.quit"),
    ]

    def compose(self) -> ComposeResult:
        # Four widgets, not fourteen: every widget costs Textual styling, layout and drawing,
        # and this screen is what a facilitator waits for at start. The title, the buttons
        # and the list's heading are lines of one Static; each button is a link that presses
        # its key.
        yield Static(id="start-head")
        yield RowList(id="sessions")
        yield Static(id="start-motto")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        try:
            self._deck: Deck | None = load_deck()
        except KitError as error:
            self.fail(error)
            self._deck = None
        if self._deck is not None and self._deck.motto is not None:
            self.query_one("#start-motto", Static).update(Text(f"“{self._deck.motto(self.lang)}”"))
        self.refresh_sessions()
        self._fresh = True
        # While the facilitator reads this screen: the first frame is out by then, and no one
        # reads and presses a key in a fifth of a second (a key that does comes after it).
        self.set_timer(0.2, self.kit.load_screen_css)

    def on_screen_resume(self) -> None:
        if getattr(self, "_fresh", False):  # just filled by on_mount: once is enough
            self._fresh = False
            return
        self.refresh_sessions()

    def _row(self, *cells: str) -> Text:
        """One line of the list: the columns padded to their widths, cut with "…" if longer."""
        # The workshop's title gets what the screen's padding, the ▶ and the others leave.
        title_width = max(20, self.app.size.width - 4 - len(PLAIN) - 13 - 16 - 12)
        row = Text()
        for cell, width in zip(cells, (13, title_width, 16, 12), strict=True):
            part = Text(" ".join(cell.split()))
            part.truncate(width - 2, overflow="ellipsis", pad=True)
            row.append_text(part)
            row.append("  ")
        return row

    def _head(self, last_line: str) -> str:
        """The title, the buttons and the list's heading, as Textual markup."""
        lines = []
        if self._deck is not None:
            symbols = " ".join(area.symbol for area in self._deck.areas)
            title = self.t("start.title", deck=self._deck.short_title(self.lang))
            lines += [f"[b $accent]{escape(f'{symbols}  {title}')}[/]",
                      f"[$text-muted]{escape(self._deck.title(self.lang))}[/]"]
        buttons = []
        for key, words, style in (("n", "start.new", "b on $primary"),
                                  ("d", "start.demo", "on $foreground 75%"),
                                  ("l", "start.language", "on $foreground 75%")):
            buttons.append(f"[@click=app.simulate_key('{key}')][{style}] [u]{key}[/u]  "
                           f"{escape(self.t(words))} [/][/]")
        lines += ["", "   ".join(buttons), "", f"[b]{escape(self.t('start.saved'))}[/]",
                  last_line]
        return "\n".join(lines)

    def refresh_sessions(self) -> None:
        listing = self.query_one("#sessions", RowList)
        head = self.query_one("#start-head", Static)
        if self.kit.store_error is not None:
            listing.set_rows([])
            problem = escape(self.kit.store_error.message(self.lang))
            head.update(self._head(f"[b $error]✗ {problem}[/]"))
            listing.display = False
            return
        infos = self.kit.store.sessions()
        listing.display = bool(infos)
        if not infos:
            listing.set_rows([])
            head.update(self._head(escape(self.t("start.no_sessions"))))
            return
        columns = self._row(self.t("start.col.date"), self.t("start.col.workshop"),
                            self.t("start.col.progress"), self.t("start.col.entries"))
        head.update(self._head(f"[b $text-muted]{escape(PLAIN + columns.plain)}[/]"))
        listing.set_rows([
            (info.id, self._row(format_date(info.date, self.lang),
                                info.title + (f" – {info.association}" if info.association
                                              else ""),
                                progress_text(info.screen, info.area_number, info.area_count,
                                              self.lang),
                                str(info.entries)))
            for info in infos])
        listing.focus()  # Enter carries on with the newest workshop

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("resume", "delete_session"):
            return self.query_one("#sessions", RowList).row_count > 0
        if action in ("new", "demo"):
            return self.kit.store_error is None
        if action == "merge":
            return self.kit.store_error is None and self.query_one(
                "#sessions", RowList).row_count > 1
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

    def action_merge(self) -> None:
        from kit.screens.merge import MergeScreen

        self.app.push_screen(MergeScreen())

    async def action_resume(self) -> None:
        chosen = self.query_one("#sessions", RowList).chosen
        if chosen is not None:
            self.kit.open_session(chosen)

    def action_delete_session(self) -> None:
        """Delete the chosen workshop for good, after a question that names it."""
        from kit.screens.base import ConfirmDialog

        chosen = self.query_one("#sessions", RowList).chosen
        info = next((i for i in self.kit.store.sessions() if i.id == chosen), None)
        if info is None:
            return

        def delete(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.kit.store.delete_session(info.id)
            except KitError as error:
                self.fail(error)
                return
            self.refresh_sessions()

        title = info.title + (f" – {info.association}" if info.association else "")
        self.app.push_screen(ConfirmDialog(
            self.t("start.delete_ask", title=title, date=format_date(info.date, self.lang),
                   n=info.entries), self.t("start.delete_yes")), delete)

    @on(RowList.Picked)
    def picked(self, event: RowList.Picked) -> None:
        self.kit.open_session(event.key)

    def palette(self) -> list[Command]:
        return [
            (self.t("start.new"), self.t("cmd.new.help"), self.action_new),
            (self.t("start.demo"), self.t("cmd.demo.help"), self.action_demo),
            (self.t("start.language"), self.t("cmd.language.help"), self.action_language),
        ]
