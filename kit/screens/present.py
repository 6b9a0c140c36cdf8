"""The projector view of an area: name, intro, questions, practices and the timer, on the light
high-contrast theme, in large calm type. `p` (or Esc) goes in and out.

No one in the room can scroll the wall: when an area does not fit (Arvot's 13 practices at
80×24), the view pages itself every `PAGE_SECONDS`, says which page is shown ("1/2"), and
PgDn / PgUp turn a page at once.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from kit.screens.base import Command, ProjectorScreen
from kit.screens.timed import TimerKeys
from kit.widgets.keys import KeyBar

PAGE_SECONDS = 12.0


class PresentScreen(TimerKeys, ProjectorScreen):
    """What the room sees on the wall while it talks about an area."""

    STEP = "present"
    HELP = "help.present"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("p", "leave", "key.present_off"),
        Binding("escape", "leave", "key.present_off", show=False),
        Binding("space", "timer", "key.timer", key_display="key.space"),
        Binding("m", "add_time", "key.add_time"),
        Binding("pagedown", "page(1)", "key.present_page", key_display="PgDn PgUp"),
        Binding("pageup", "page(-1)", "key.present_page", show=False),
    ]

    def __init__(self, area_id: str) -> None:
        self.area_id = area_id
        super().__init__()

    def compose(self) -> ComposeResult:
        with Horizontal(id="present-head"):
            yield Static(id="present-title")
            yield Static(id="present-page")
            yield self.timer_display(show_keys=False, id="present-timer")
        body = VerticalScroll(id="present-body")
        body.can_focus = False  # its keys are the screen's: the wall is paged, not scrolled
        with body:
            yield Static(id="present-intro")
            yield Static(id="present-questions")
            yield Static(id="present-practices")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        snapshot = self.kit.snapshot()
        area = snapshot.deck.area(self.area_id)
        lang = self.lang
        self.query_one("#present-title", Static).update(
            Text(f"{area.symbol}  {area.title(lang).upper()}", style="bold"))
        self.query_one("#present-intro", Static).update(Text(area.intro(lang)))
        questions = Text(self.t("present.discuss") + "\n", style="bold")
        for question in area.questions:
            questions.append(f"\u00a0\u00a0?\u00a0\u00a0{question(lang)}\n", style="bold")
        self.query_one("#present-questions", Static).update(questions)
        practices = Text(self.t("present.practices") + "\n", style="bold")
        for practice in area.practices:
            practices.append(f"\u00a0\u00a0•\u00a0\u00a0{practice.text(lang)}\n")
            for point in practice.points:
                practices.append(f"\u00a0\u00a0\u00a0\u00a0\u00a0–\u00a0{point(lang)}\n")
        self.query_one("#present-practices", Static).update(practices)
        self.set_interval(PAGE_SECONDS, lambda: self.action_page(1))
        self.call_after_refresh(self._show_page)

    def _pages(self) -> tuple[int, int]:
        """(the page shown, how many pages) of the body at its height now."""
        body = self.query_one("#present-body", VerticalScroll)
        height = max(1, body.scrollable_content_region.height)
        total = max(1, -(-(body.virtual_size.height) // height))
        if body.max_scroll_y > 0 and body.scroll_y >= body.max_scroll_y:
            return total, total  # the last page is the rest, shown at the bottom
        return min(total, int(body.scroll_y // height) + 1), total

    def _show_page(self) -> None:
        page, total = self._pages()
        self.query_one("#present-page", Static).update(
            Text(f"{page}/{total}", style="bold") if total > 1 else Text(""))

    def action_page(self, step: int) -> None:
        """The next (or previous) page; after the last one the first again."""
        body = self.query_one("#present-body", VerticalScroll)
        page, total = self._pages()
        if total <= 1:
            return
        page = (page - 1 + step) % total
        body.scroll_to(y=page * max(1, body.scrollable_content_region.height), animate=False)
        self.call_after_refresh(self._show_page)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_page)

    def palette(self) -> list[Command]:
        return [(self.t("key.present_off"), self.t("cmd.present_off.help"), self.action_leave)]
