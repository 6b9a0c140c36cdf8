"""What the benchmark runs in fresh processes: each prints one JSON line and exits.

`python bench/children.py KIND [ARGS]`. Start-up and memory are measured in a process of their
own so that imports and caches of one measurement never help another.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
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


async def time_presses(app: Any, ready: Callable[[], bool], count: Callable[[], int],
                       presses: int) -> list[float]:
    """Seconds from each key press to the first screen update after `count()` grew.

    One way for every app measured, so that the kit and the bare app are timed alike: the key
    goes in where the terminal driver would put it; the clock stops at the first screen update
    Textual renders once `count()` is above what it was before the key (the kit's store commits
    before the key handler returns). Pilot.press is no use for the timed keys: it sleeps 40 ms
    on purpose. `app` mixes in `Shown`.
    """
    import asyncio

    from textual import events

    app.shown = asyncio.Event()
    times: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        while not ready():
            await pilot.pause(0.01)
        await pilot.pause(0.3)
        assert app._driver is not None
        for n in range(presses):
            key, char = CYCLE[n % len(CYCLE)]
            if n % len(CYCLE) == 0:
                await pilot.press("down")  # a different practice now and then
                await pilot.pause(0.02)
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
            times.append(time.perf_counter() - start)
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


def bare_keys(presses: str) -> None:
    """The baseline for `keys`: a bare Textual app that counts key presses in a Static.

    The same keys, size, pauses and clock as `keys` (one helper times both). Its keys are
    bindings, as the kit's are, and each does the least a screen can do for a key: count it
    and show the count. No store, no table.
    """
    import asyncio

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

    app = Bare()
    times = asyncio.run(time_presses(app, lambda: bool(app.screen.query("#count")),
                                     lambda: app.presses, int(presses)))
    _report(latencies=times)


KINDS = {"bare-app": bare_app, "app": workshop_app, "bare-pdf": bare_pdf, "keys": keys,
         "bare-keys": bare_keys}

if __name__ == "__main__":
    KINDS[sys.argv[1]](*sys.argv[2:])
