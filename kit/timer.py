"""The area timer: counts down one practice area's time box, on whatever clock it is given.

Two clocks are injected: a monotonic one that measures the running time (it never jumps when
the laptop's clock is set) and a wall clock that stamps the saved state, so that after a
restart the time that passed while the app was closed is taken off too. Tests pass fake clocks
and never sleep. Nothing here knows about Textual or the store: the app saves `state()` with
`Store.record_timer` and resumes with `AreaTimer.resume`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kit import lazy_module

if TYPE_CHECKING:
    from kit.session import TimerState

model = lazy_module("kit.session")

Clock = Callable[[], float]

MINUTE_MS = 60_000
MAX_MS = 24 * 60 * MINUTE_MS  # the store accepts at most a day


class AreaTimer:
    """A countdown that can be started, paused and lengthened; it stops at zero."""

    def __init__(self, area_id: str, total_ms: int, *, clock: Clock = time.monotonic,
                 wall: Clock = time.time) -> None:
        self.area_id = area_id
        self._clock = clock
        self._wall = wall
        self._left_ms = _clamp(total_ms)  # what was left when the current run began
        self._since: float | None = None  # monotonic time the current run began; None: paused

    @classmethod
    def resume(cls, state: TimerState, *, clock: Clock = time.monotonic,
               wall: Clock = time.time) -> AreaTimer:
        """The timer as saved; a running one has lost the wall-clock time since it was saved."""
        left = state.remaining_ms
        if state.running:
            left -= max(0, round((wall() - state.wall) * 1000))
        timer = cls(state.area_id, left, clock=clock, wall=wall)
        if state.running:
            timer._since = clock()
        return timer

    @property
    def running(self) -> bool:
        return self._since is not None

    @property
    def remaining_ms(self) -> int:
        if self._since is None:
            return self._left_ms
        elapsed = round((self._clock() - self._since) * 1000)
        return max(0, self._left_ms - max(0, elapsed))

    @property
    def expired(self) -> bool:
        """Time is up: the screen flashes and the bell rings until paused or lengthened."""
        return self.remaining_ms == 0

    def start(self) -> None:
        if self._since is None:
            self._since = self._clock()

    def pause(self) -> None:
        if self._since is not None:
            self._left_ms = self.remaining_ms
            self._since = None

    def toggle(self) -> None:
        if self.running:
            self.pause()
        else:
            self.start()

    def add(self, ms: int) -> None:
        """More time (or less, with a negative amount); a running timer keeps running."""
        self._left_ms = _clamp(self.remaining_ms + ms)
        if self._since is not None:
            self._since = self._clock()

    def reset(self, total_ms: int) -> None:
        """Back to a full time box, paused."""
        self._left_ms = _clamp(total_ms)
        self._since = None

    def state(self) -> TimerState:
        """What to save: what is left now, and when "now" was on the wall clock."""
        return model.TimerState(self.area_id, self.remaining_ms, self.running, self._wall())

    def text(self) -> str:
        """Minutes and seconds left, rounded up: "20:00" at the start, "00:00" only at zero."""
        seconds = math.ceil(self.remaining_ms / 1000)
        return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _clamp(ms: int) -> int:
    return max(0, min(MAX_MS, int(ms)))
