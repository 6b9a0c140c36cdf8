"""The projector view of an area: name, intro, questions, practices and the timer, on the light
high-contrast theme, in large calm type. `p` (or Esc) goes in and out."""

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


class PresentScreen(TimerKeys, ProjectorScreen):
    """What the room sees on the wall while it talks about an area."""

    STEP = "present"
    HELP = "help.present"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("p", "leave", "key.present_off"),
        Binding("escape", "leave", "key.present_off", show=False),
        Binding("space", "timer", "key.timer", key_display="key.space"),
        Binding("m", "add_time", "key.add_time"),
    ]

    def __init__(self, area_id: str) -> None:
        self.area_id = area_id
        super().__init__()

    def compose(self) -> ComposeResult:
        with Horizontal(id="present-head"):
            yield Static(id="present-title")
            yield self.timer_display(show_keys=False, id="present-timer")
        with VerticalScroll(id="present-body"):
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

    def palette(self) -> list[Command]:
        return [(self.t("key.present_off"), self.t("cmd.present_off.help"), self.action_leave)]
