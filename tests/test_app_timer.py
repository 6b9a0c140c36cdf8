"""The area timer on an injected clock: no sleeping, and a restart resumes the time left."""

from __future__ import annotations

from kit.session import TimerState
from kit.timer import MAX_MS, MINUTE_MS, AreaTimer


class FakeClock:
    """Monotonic and wall clock that move only when told."""

    def __init__(self) -> None:
        self.mono = 100.0
        self.wall = 1_800_000_000.0

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds

    def monotonic(self) -> float:
        return self.mono

    def now(self) -> float:
        return self.wall


def make(clock: FakeClock, minutes: int = 20) -> AreaTimer:
    return AreaTimer("osallisuus", minutes * MINUTE_MS, clock=clock.monotonic, wall=clock.now)


def test_counts_down_only_while_running() -> None:
    clock = FakeClock()
    timer = make(clock)
    assert timer.text() == "20:00" and not timer.running
    clock.advance(30)
    assert timer.remaining_ms == 20 * MINUTE_MS  # paused: nothing passes
    timer.start()
    clock.advance(90.4)
    assert timer.remaining_ms == 20 * MINUTE_MS - 90_400
    assert timer.text() == "18:30"  # rounded up: 18:29.6 left reads 18:30
    timer.pause()
    clock.advance(600)
    assert timer.remaining_ms == 20 * MINUTE_MS - 90_400
    timer.toggle()
    assert timer.running


def test_stops_at_zero_and_plus_five_minutes_brings_it_back() -> None:
    clock = FakeClock()
    timer = make(clock, minutes=1)
    timer.start()
    clock.advance(61)
    assert timer.remaining_ms == 0 and timer.expired and timer.text() == "00:00"
    timer.add(5 * MINUTE_MS)
    assert timer.running and not timer.expired
    assert timer.remaining_ms == 5 * MINUTE_MS
    clock.advance(60)
    assert timer.text() == "04:00"


def test_state_and_resume_take_off_the_time_the_app_was_closed() -> None:
    clock = FakeClock()
    timer = make(clock)
    timer.start()
    clock.advance(120)
    saved = timer.state()
    assert saved == TimerState("osallisuus", 20 * MINUTE_MS - 120_000, True, clock.wall)
    clock.advance(300)  # the laptop was off for five minutes: the room went on talking
    resumed = AreaTimer.resume(saved, clock=clock.monotonic, wall=clock.now)
    assert resumed.running
    assert resumed.remaining_ms == 20 * MINUTE_MS - 420_000
    clock.advance(60)
    assert resumed.remaining_ms == 20 * MINUTE_MS - 480_000


def test_a_paused_timer_resumes_exactly_where_it_was() -> None:
    clock = FakeClock()
    timer = make(clock)
    timer.start()
    clock.advance(10)
    timer.pause()
    saved = timer.state()
    clock.advance(3600)
    resumed = AreaTimer.resume(saved, clock=clock.monotonic, wall=clock.now)
    assert not resumed.running and resumed.remaining_ms == 20 * MINUTE_MS - 10_000


def test_limits() -> None:
    clock = FakeClock()
    timer = make(clock)
    timer.add(10 * 24 * 60 * MINUTE_MS)
    assert timer.remaining_ms == MAX_MS  # the store accepts at most a day
    timer.add(-2 * MAX_MS)
    assert timer.remaining_ms == 0
    timer.reset(5 * MINUTE_MS)
    assert timer.remaining_ms == 5 * MINUTE_MS and not timer.running
    # A clock that goes backwards (it should not, but) never adds time.
    timer.start()
    clock.mono -= 50
    assert timer.remaining_ms == 5 * MINUTE_MS
