"""Merge parallel rooms, from the start screen: choose the sessions, confirm, open the result.

The same merge as `tyopaja merge` (kit/merge.py): the sessions are those saved on this laptop
(a second laptop's export is imported first, or merged on the command line). Space chooses a
session, Enter asks to confirm, a second Enter merges and opens the merged session's summary;
Esc steps back. A refusal (the same session twice, another scale) is one line, and the
screen stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.widgets import Static

from kit.errors import KitError
from kit.screens.base import KitScreen
from kit.view import format_date
from kit.widgets.keys import KeyBar
from kit.widgets.rowlist import RowList

if TYPE_CHECKING:
    from kit.store import SessionInfo

ON, OFF = "[✓] ", "[ ] "


def session_line(screen: KitScreen, info: SessionInfo) -> str:
    """Date, title, association and place: parallel rooms often differ only by the place."""
    return (f"{format_date(info.date, screen.lang)}  {info.title}"
            + (f" – {info.association}" if info.association else "")
            + (f" · {info.place}" if info.place else ""))


class MergeScreen(KitScreen):
    """Saved sessions with a mark each; at least two chosen can be merged into a new one."""

    HELP = "help.merge"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("space", "toggle", "key.toggle"),
        Binding("enter", "merge", "key.merge"),
        Binding("escape", "leave", "key.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []  # in the order chosen (the merge orders them itself)
        self.confirming = False

    def compose(self) -> ComposeResult:
        yield Static(id="merge-head")
        yield RowList(id="merge-sessions")
        yield Static(id="merge-status")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.infos = self.kit.store.sessions()
        self.lines = [session_line(self, info) for info in self.infos]
        self.query_one("#merge-head", Static).update(
            f"[b]{escape(self.t('screen.merge.title'))}[/]\n"
            f"[$text-muted]{escape(self.t('screen.merge.hint'))}[/]")
        self.draw()
        self.query_one("#merge-sessions", RowList).focus()

    def draw(self) -> None:
        listing = self.query_one("#merge-sessions", RowList)
        cursor = listing.cursor
        listing.set_rows([
            (info.id, Text((ON if info.id in self.chosen else OFF) + line))
            for info, line in zip(self.infos, self.lines, strict=True)])
        listing._move_to(cursor)
        if self.confirming:
            status = self.t("screen.merge.confirm", n=len(self.chosen))
        else:
            status = self.t("screen.merge.chosen", n=len(self.chosen))
        self.query_one("#merge-status", Static).update(Text(status))

    def action_toggle(self) -> None:
        key = self.query_one("#merge-sessions", RowList).chosen
        if key is None:
            return
        if key in self.chosen:
            self.chosen.remove(key)
        else:
            self.chosen.append(key)
        self.confirming = False
        self.draw()

    def action_merge(self) -> None:
        if len(self.chosen) < 2:
            self.fail(KitError("merge.too_few"))
            return
        if not self.confirming:
            self.confirming = True
            self.draw()
            return
        from kit.across import load_sources
        from kit.merge import merge

        try:
            sources = load_sources(self.chosen, self.kit.store)
            session_id, plan = merge(self.kit.store, sources, lang=self.lang)
        except KitError as error:
            self.confirming = False
            self.draw()
            self.fail(error)
            return
        self.kit.notify(self.t("screen.merge.done", title=plan.meta.title), markup=False)
        if plan.left_out:  # different decks: what was not in all of them is not merged
            self.kit.notify(self.t("merge.left_out", n=len(plan.left_out),
                                   list=", ".join(p.card_id for p in plan.left_out)),
                            severity="warning", markup=False)
        self.kit.open_session(session_id)

    def action_leave(self) -> None:
        if self.confirming:
            self.confirming = False
            self.draw()
            return
        self.app.pop_screen()
