"""What the benchmark runs in fresh processes: each prints one JSON line and exits.

`python bench/children.py KIND [ARGS]`. Start-up and memory are measured in a process of their
own so that imports and caches of one measurement never help another.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import asyncio

START = time.perf_counter()


def _peak_kib() -> int:
    """Peak resident memory of this process (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def _report(**values: object) -> None:
    print(json.dumps({"seconds": time.perf_counter() - START, "peak_kib": _peak_kib(),
                      **values}), flush=True)


def bare_app() -> None:
    """The baseline: a Textual app with one Static, gone as soon as it has drawn."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hyvät käytänteet")

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    Bare().run(headless=True, size=(100, 30))
    _report()


def workshop_app(data_dir: str, session_id: str | None = None) -> None:
    """The real app through the command line's own import path, gone once its screen is up.

    With a session id it opens that session (the area screen) as `tyopaja demo` would.
    """
    import kit.cli  # noqa: F401  the command line is what a facilitator starts
    from kit.app import WorkshopApp

    # By name: importing the screens here would take their import time off the app's.
    wanted = "StartScreen" if session_id is None else "AreaScreen"

    class Timed(WorkshopApp):
        def on_mount(self) -> None:
            # Textual calls WorkshopApp.on_mount itself (handlers run along the MRO).
            self._watch = self.set_interval(0.002, self._shown)

        def _shown(self) -> None:
            if type(self.screen).__name__ == wanted and self.screen.is_mounted:
                self._watch.stop()
                self.reached = True
                self.call_after_refresh(self.exit)

    app = Timed(data_dir=data_dir, session_id=session_id)
    app.run(headless=True, size=(100, 30))
    if not getattr(app, "reached", False):
        raise SystemExit(f"the app did not reach {wanted}")
    if app.return_code:  # an error after the screen came up would end the app early, and fast
        raise SystemExit(f"the app failed (exit code {app.return_code})")
    _report()


def bare_pdf(pages: str, out: str) -> None:
    """The baseline for `tyopaja cards`: reportlab, the same font, the same number of pages."""
    from pathlib import Path

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    fonts = Path(__file__).resolve().parents[1] / "kit" / "exports" / "fonts"
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
    canvas = Canvas(out, pagesize=A4)
    for page in range(int(pages)):
        for n in range(4):
            x, y = 40 + (n % 2) * 280, 440 - (n // 2) * 400
            canvas.rect(x, y, 260, 380)
            canvas.setFont("DejaVuSans-Bold", 16)
            canvas.drawString(x + 10, y + 340, f"Käytänne {page}.{n} – Yhteisöllisyys")
            canvas.setFont("DejaVuSans", 9)
            canvas.drawString(x + 10, y + 10, "Hyvät käytänteet · äöå")
        canvas.showPage()
    canvas.save()
    _report()


# key presses ----------------------------------------------------------------------------------

# The keys pressed, in turn: (Textual's key name, the character typed).
CYCLE = (("1", "1"), ("2", "2"), ("plus", "+"), ("3", "3"), ("4", "4"))


class Shown:
    """Mixed into an App: `shown` is set whenever Textual renders a screen update."""

    shown: asyncio.Event

    def _display(self, screen: Any, renderable: Any) -> None:
        super()._display(screen, renderable)  # type: ignore[misc]
        if renderable is not None:
            self.shown.set()


async def press(app: Any, key: str, char: str, count: Callable[[], int]) -> float:
    """Seconds from one key press to the first screen update after `count()` grew.

    The key goes in where the terminal driver would put it; the clock stops at the first
    screen update Textual renders once `count()` is above what it was before the key (the
    kit's store commits before the key handler returns). `app` mixes in `Shown`.
    """
    import asyncio

    from textual import events

    before = count()
    event = events.Key(key, char)
    event.set_sender(app)
    app.shown.clear()
    start = time.perf_counter()
    app._driver.send_message(event)
    while True:
        await asyncio.wait_for(app.shown.wait(), 10)
        if count() > before:
            break
        app.shown.clear()
    return time.perf_counter() - start


async def press_in_turn(app: Any, pilot: Any, n: int, count: Callable[[], int]) -> float:
    """The `n`th key of `CYCLE`, timed (a ↓ first, untimed, every fifth key)."""
    key, char = CYCLE[n % len(CYCLE)]
    if n % len(CYCLE) == 0:
        await pilot.press("down")  # a different practice now and then
        await pilot.pause(0.02)
    return await press(app, key, char, count)


async def move_down(app: Any) -> None:
    """↓ (a different practice), untimed, through the driver as `press` does: Pilot.press
    takes over 100 ms, in which forty phones would come and go unseen by the timed keys."""
    import asyncio

    from textual import events

    event = events.Key("down", None)
    event.set_sender(app)
    app._driver.send_message(event)
    await asyncio.sleep(0.03)  # moved and drawn (a frame is 1/60 s)


@asynccontextmanager
async def shown_app(app: Any, ready: Callable[[], bool]) -> AsyncIterator[Any]:
    """The app under `run_test` (100×30), once `ready()` and settled: yields the pilot."""
    import asyncio

    app.shown = asyncio.Event()
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3000):
            if ready():
                break
            await pilot.pause(0.01)
        else:
            raise SystemExit("the app never got ready")
        await pilot.pause(0.3)
        assert app._driver is not None
        yield pilot


async def time_presses(app: Any, ready: Callable[[], bool], count: Callable[[], int],
                       presses: int) -> list[float]:
    """Seconds from each key press to the first screen update after `count()` grew.

    One way for every app measured, so that the kit and the bare app are timed alike (`press`:
    the key goes in where the terminal driver would put it, the clock stops at the first
    screen update after the key's entry is stored). Pilot.press is no use for the timed keys:
    it sleeps 40 ms on purpose. `app` mixes in `Shown`.
    """
    import asyncio

    times: list[float] = []
    async with shown_app(app, ready) as pilot:
        for n in range(presses):
            times.append(await press_in_turn(app, pilot, n, count))
            await asyncio.sleep(0.01)  # the facilitator is not a machine gun
    return times


def keys(data_dir: str, session_id: str, presses: str) -> None:
    """Key press -> entry committed and screen updated, timed one by one on the area screen."""
    import asyncio

    from kit.app import WorkshopApp
    from kit.screens.area import AreaScreen

    class Timed(Shown, WorkshopApp):
        pass

    app = Timed(data_dir=data_dir, session_id=session_id)
    times = asyncio.run(time_presses(app, lambda: isinstance(app.screen, AreaScreen),
                                     lambda: app.snapshot().entry_count, int(presses)))
    _report(latencies=times)


def bare_keys_app() -> Any:
    """The baseline app for `keys`: a bare Textual app that counts key presses in a Static.

    Its keys are bindings, as the kit's are, and each does the least a screen can do for a
    key: count it and show the count. No store, no table. (`bench/profile_keys.py` profiles
    the same class.)
    """
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Static

    class Bare(Shown, App[None]):
        BINDINGS: ClassVar[list[Binding]] = [Binding(key, "count", key) for key, _c in CYCLE]
        presses = 0

        def compose(self) -> ComposeResult:
            yield Static("0", id="count")

        def action_count(self) -> None:
            self.presses += 1
            self.query_one("#count", Static).update(f"{self.presses}")

    return Bare


def bare_keys(presses: str) -> None:
    """The baseline for `keys`, with the same keys, size, pauses and clock (one helper times
    both)."""
    import asyncio

    app = bare_keys_app()()
    times = asyncio.run(time_presses(app, lambda: bool(app.screen.query("#count")),
                                     lambda: app.presses, int(presses)))
    _report(latencies=times)


# the phone room -------------------------------------------------------------------------------


def _overlaps(started: float, took: float, window: list[float]) -> bool:
    return started < window[1] and started + took > window[0]


async def room_presses(app: Any, cycles: int) -> dict[str, Any]:
    """Keys on the area screen while the phones (bench/phones.py) send, in one event loop.

    The phone room's server runs as the room screen runs it: `RoomServer` in the app's own
    loop, with the app's own session handle, on 127.0.0.1 and a port the system picks. Keys
    are pressed one after another, timed as in `keys` (`press`; the ↓ every fifth key goes
    through the driver too, `move_down`), from before the phones start until they are done.
    A press is *during* if the time it took overlaps forty ballots being sent, *idle* if it
    overlaps no phone activity at all (the quiet spells between them); the rest (tokens being
    fetched, the lone phone, the phones' process starting) count as neither.
    """
    import asyncio
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    from kit.room.round import PhoneRound
    from kit.room.server import RoomServer
    from kit.screens.area import AreaScreen

    phones_py = Path(__file__).resolve().with_name("phones.py")
    ready = lambda: isinstance(app.screen, AreaScreen) and app.screen.is_mounted  # noqa: E731
    async with shown_app(app, ready) as _pilot:
        area = app.screen.area_id
        before = app.snapshot().ballot_totals(area).ballots
        phone_round = PhoneRound(app.session, area)  # the app's own handle: one store, one loop
        server = RoomServer(phone_round, lang=app.lang)
        url = await server.start("127.0.0.1", 0)
        count = lambda: app.snapshot().entry_count  # noqa: E731  phones' ballots add none
        pressed: list[tuple[float, float]] = []
        try:
            with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
                phones = subprocess.Popen([sys.executable, str(phones_py), url, str(cycles)],
                                          stdout=out, stderr=err, env=dict(os.environ))
                try:
                    deadline = time.perf_counter() + 60 + 5 * cycles
                    while phones.poll() is None:
                        if time.perf_counter() > deadline or len(pressed) >= 100_000:
                            raise SystemExit("the phones took too long")
                        key, char = CYCLE[len(pressed) % len(CYCLE)]
                        if len(pressed) % len(CYCLE) == 0:
                            await move_down(app)
                        took = await press(app, key, char, count)
                        pressed.append((time.perf_counter() - took, took))
                        await asyncio.sleep(0.01)  # the facilitator is not a machine gun
                finally:
                    if phones.poll() is None:
                        phones.kill()
                    phones.wait(10)
                out.seek(0)
                err.seek(0)
                if phones.returncode != 0:
                    raise SystemExit(f"the phones failed:\n{err.read()[-2000:]}")
                sent = json.loads(out.read().splitlines()[-1])
        finally:
            await server.stop()
        phones_count = len(sent["cycles"]) * (1 + len(sent["cycles"][0]["forty"]["replies"]))
        if phone_round.count != phones_count:
            raise SystemExit(f"{phone_round.count} ballots in the round, {phones_count} sent")
        if phone_round.close() != phones_count or (
                app.snapshot().ballot_totals(area).ballots != before + phones_count):
            raise SystemExit("the round's ballots did not all reach the area's totals")
    cycles_out = sent["cycles"]
    sending = [[c["forty"]["started"], c["forty"]["ended"]] for c in cycles_out]
    busy = [c[kind]["busy"] for c in cycles_out for kind in ("alone", "forty")]
    span = [sent["ready"], sent["done"]]
    return {
        "alone": [c["alone"]["reply"] for c in cycles_out],
        "totals": [c["forty"]["ended"] - c["forty"]["started"] for c in cycles_out],
        "replies": [r for c in cycles_out for r in c["forty"]["replies"]],
        "during": [took for started, took in pressed
                   if any(_overlaps(started, took, w) for w in sending)],
        "idle": [took for started, took in pressed
                 if span[0] <= started and started + took <= span[1]
                 and not any(_overlaps(started, took, w) for w in busy)],
        "ballots": phones_count,
    }


def room_burst(data_dir: str, session_id: str, cycles: str) -> None:
    """Forty phones at once (and one alone, for the baseline), `cycles` times, while keys are
    pressed on the area screen of the session; see `room_presses` and bench/phones.py."""
    import asyncio

    from kit.app import WorkshopApp

    class Timed(Shown, WorkshopApp):
        pass

    app = Timed(data_dir=data_dir, session_id=session_id)
    _report(**asyncio.run(room_presses(app, int(cycles))))


KINDS = {"bare-app": bare_app, "app": workshop_app, "bare-pdf": bare_pdf, "keys": keys,
         "bare-keys": bare_keys, "room-burst": room_burst}

if __name__ == "__main__":
    KINDS[sys.argv[1]](*sys.argv[2:])
