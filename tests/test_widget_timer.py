"""The timer widget on its own: mounted in a bare Textual app, fed a timer and a fake clock.

A bare `App` has none of the workshop app's timers, clock or language, so any reach into
the app from the widget fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Digits, Static

from kit.i18n import t
from kit.timer import MINUTE_MS, AreaTimer
from kit.widgets.timer import TimerDisplay


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Host(App[None]):
    def __init__(self, display: TimerDisplay) -> None:
        super().__init__()
        self.timer_display = display

    def compose(self) -> ComposeResult:
        yield self.timer_display


def shown(display: TimerDisplay) -> tuple[str, str]:
    return (display.query_one(Digits).value,
            str(display.query_one(".timer-state", Static).content))


async def test_the_display_shows_what_it_is_given() -> None:
    clock = Clock()
    timer = AreaTimer("osallisuus", MINUTE_MS, clock=clock, wall=lambda: 0.0)
    display = TimerDisplay("osallisuus", timer_for=lambda area: timer, clock=clock, lang="en")
    async with Host(display).run_test():
        assert shown(display) == ("01:00", t("timer.paused", "en") + "\n" + t("timer.keys", "en"))
        assert not display.has_class("-running") and not display.has_class("-expired")
        timer.start()
        clock.now += 30
        display.update_timer()
        assert shown(display)[0] == "00:30"
        assert display.has_class("-running")
        clock.now += 30.0  # time is up on an even half second: the flash is on
        display.update_timer()
        assert shown(display)[1].startswith(t("timer.expired", "en"))
        assert display.has_class("-expired") and display.has_class("-flash")
        assert not display.has_class("-running")
        clock.now += 0.5
        display.update_timer()
        assert display.has_class("-expired") and not display.has_class("-flash")
        timer.pause()  # paused at zero: still expired, no longer flashing
        clock.now += 0.5
        display.update_timer()
        assert display.has_class("-expired") and not display.has_class("-flash")


def counting(update: Callable[[Any], None], calls: list[object]) -> Callable[[Any], None]:
    def counted(value: Any) -> None:
        calls.append(value)
        update(value)

    return counted


async def test_words_are_touched_only_when_they_change_and_the_language_is_asked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    timer = AreaTimer("osallisuus", MINUTE_MS, clock=clock, wall=lambda: 0.0)
    lang = ["fi"]
    display = TimerDisplay("osallisuus", timer_for=lambda area: timer, clock=clock,
                           lang=lambda: lang[0], show_keys=False)
    async with Host(display).run_test():
        assert shown(display) == ("01:00", t("timer.paused", "fi"))
        updates: list[object] = []
        for widget in (display.query_one(Digits), display.query_one(".timer-state", Static)):
            monkeypatch.setattr(widget, "update", counting(widget.update, updates))
        display.update_timer()
        display.update_timer()
        assert updates == []
        lang[0] = "en"
        display.update_timer()
        assert updates == [t("timer.paused", "en")]


async def test_no_timer_means_nothing_changes() -> None:
    """`timer_for` answers None once the session is closed: the display stays as it was."""
    clock = Clock()
    timer: AreaTimer | None = AreaTimer("a", MINUTE_MS, clock=clock, wall=lambda: 0.0)
    asked: list[str] = []

    def timer_for(area_id: str) -> AreaTimer | None:
        asked.append(area_id)
        return timer

    display = TimerDisplay("a", timer_for=timer_for, clock=clock, lang="en")
    async with Host(display).run_test():
        before = shown(display)
        timer = None
        display.set_area("b")
        assert asked[-1] == "b"
        assert shown(display) == before
