"""The area timer on screen: big digits readable across a room, a word for its state.

The countdown itself lives in the app (`WorkshopApp.timer`), so it keeps running while the
facilitator moves between screens. This widget is handed how to find it, the clock and the
language, and only looks four times a second: it never reaches into the app, so it runs in
any host (the tests mount it in a bare `App` with a fake clock).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Digits, Static

from kit.i18n import t

if TYPE_CHECKING:
    from kit.timer import AreaTimer

TimerFor = Callable[[str], "AreaTimer | None"]  # None: no session open, nothing to show


class TimerDisplay(Horizontal):
    """Minutes and seconds left for an area, with ▶/‖ and a flash when time is up."""

    def __init__(self, area_id: str, *, timer_for: TimerFor, clock: Callable[[], float],
                 lang: Callable[[], str] | str, show_keys: bool = True,
                 id: str | None = None) -> None:
        """`timer_for(area_id)` gives the area's timer; `clock` is the one the timer runs on
        (it times the flash); `lang` is a language code, or asked each time if it can change."""
        super().__init__(id=id, classes="timer")
        self.area_id = area_id
        self.show_keys = show_keys
        self._timer_for = timer_for
        self._clock = clock
        self._lang = lang
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
        timer = self._timer_for(self.area_id)
        if timer is None:
            return
        lang = self._lang if isinstance(self._lang, str) else self._lang()
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
        blink = timer.expired and timer.running and int(self._clock() * 2) % 2 == 0
        self.set_class(timer.expired, "-expired")
        self.set_class(blink, "-flash")
        self.set_class(timer.running and not timer.expired, "-running")
