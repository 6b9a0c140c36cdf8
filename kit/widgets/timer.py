"""The area timer on screen: big digits readable across a room, a word for its state.

The countdown itself lives in the app (`WorkshopApp.timer`), so it keeps running while the
facilitator moves between screens; this widget only looks at it four times a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Digits, Static

from kit.i18n import t

if TYPE_CHECKING:
    from kit.app import WorkshopApp


class TimerDisplay(Horizontal):
    """Minutes and seconds left for an area, with ▶/‖ and a flash when time is up."""

    def __init__(self, area_id: str, *, show_keys: bool = True, id: str | None = None) -> None:
        super().__init__(id=id, classes="timer")
        self.area_id = area_id
        self.show_keys = show_keys
        self._shown_digits = ""
        self._shown_state = ""

    def compose(self) -> ComposeResult:
        yield Digits("00:00", classes="timer-digits")
        yield Static("", classes="timer-state")

    def on_mount(self) -> None:
        self.update_timer()
        self.set_interval(0.25, self.update_timer)

    def set_area(self, area_id: str) -> None:
        self.area_id = area_id
        self.update_timer()

    def update_timer(self) -> None:
        app = cast("WorkshopApp", self.app)
        if app.session_id is None:
            return
        timer = app.timer(self.area_id)
        lang = app.lang
        # Four times a second: touch the widgets only when their words change, since each
        # update lays out the whole screen and would hold up a vote typed just then.
        digits = timer.text()
        if digits != self._shown_digits:
            self._shown_digits = digits
            self.query_one(Digits).update(digits)
        if timer.expired:
            state = t("timer.expired", lang)
        elif timer.running:
            state = t("timer.running", lang)
        else:
            state = t("timer.paused", lang)
        if self.show_keys:
            state += "\n" + t("timer.keys", lang)
        if state != self._shown_state:
            self._shown_state = state
            self.query_one(".timer-state", Static).update(state)
        blink = timer.expired and timer.running and int(app.clock() * 2) % 2 == 0
        self.set_class(timer.expired, "-expired")
        self.set_class(blink, "-flash")
        self.set_class(timer.running and not timer.expired, "-running")


class TimerKeys:
    """The timer's keys for a screen that shows its area's `TimerDisplay` (area, present)."""

    area_id: str
    kit: Any
    query_one: Any

    def action_timer(self) -> None:
        self.kit.toggle_timer(self.area_id)
        self.query_one(TimerDisplay).update_timer()

    def action_add_time(self) -> None:
        self.kit.add_time(self.area_id, 5)
        self.query_one(TimerDisplay).update_timer()
