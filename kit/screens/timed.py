"""The timer's side of a screen that shows its area's `TimerDisplay` (area, present).

A screen mixin, so it lives with the screens: it is the screen that knows the app, and it hands
the widget what to show instead of the widget looking the app up itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kit.widgets.timer import TimerDisplay

if TYPE_CHECKING:
    from kit.timer import AreaTimer


class TimerKeys:
    """The timer's keys, and the `TimerDisplay` wired to the app's timers and clock."""

    area_id: str
    kit: Any
    lang: str
    query_one: Any

    def timer_display(self, *, show_keys: bool = True, id: str | None = None) -> TimerDisplay:
        """This screen's area timer, fed by the app (its timers outlive the screens)."""
        return TimerDisplay(self.area_id, timer_for=self.area_timer, clock=self.timer_clock,
                            lang=self.timer_lang, show_keys=show_keys, id=id)

    def area_timer(self, area_id: str) -> AreaTimer | None:
        """The area's timer, or None once the session is closed (the screen is going)."""
        return None if self.kit.session_id is None else self.kit.timer(area_id)

    def timer_clock(self) -> float:
        # Asked each time: the app's clock is the one its timers run on.
        return float(self.kit.clock())

    def timer_lang(self) -> str:
        return self.lang

    def action_timer(self) -> None:
        self.kit.toggle_timer(self.area_id)
        self.query_one(TimerDisplay).update_timer()

    def action_add_time(self) -> None:
        self.kit.add_time(self.area_id, 5)
        self.query_one(TimerDisplay).update_timer()
