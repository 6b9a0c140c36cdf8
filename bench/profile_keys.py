"""Where a key press on the area screen goes: counts, a split of its time, and a profile.

    python bench/profile_keys.py [--app kit|bare] [--presses 300] [--groups 10]
                                 [--session empty|large]
                                 [--profile none|cprofile|pyinstrument] [--out FILE]

Drives the keys exactly as the benchmark's `keys` and `bare-keys` children do (the same helper,
`bench.children.time_presses`: '1', '2', '+', '3', '4', a ↓ every fifth key, 10 ms between
keys, 100×30) on an empty session made like `empty_folder` in bench/run.py (or the large
one of `session_folder`), or on the bare Textual app that the benchmark compares the kit
with. Prints:

* the split of each press: Textual's dispatch (the key sent → the key's action starts), the
  handler (the action runs: for the kit the store's commit and `refresh_view`), the wait for
  a frame (the action returned → the screen's update timer fires: Textual draws at most 60
  frames a second, on a grid of 1/60 s), the frame itself (layout, compositor, `_display`);
* how many times each function of interest ran per key press and the time spent in it
  (inclusive, wall clock), between the key sent and the screen updated ("in press") and after
  it until the next key ("after": the ↓ keys, timer ticks, work left for after the frame);
* with --profile, a cProfile listing (calls and cumulative time) or a pyinstrument tree.

The counting wrappers cost a microsecond or two a call; take absolute times from a run
without --profile, and from the benchmark itself for the figures that count.
A tool for the next engineer, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import inspect
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.children import CYCLE, Shown, bare_keys_app, time_presses  # noqa: E402

perf = time.perf_counter


class Probe:
    """Counts calls and adds up their time, by label, in the current bucket."""

    def __init__(self) -> None:
        self.bucket: str | None = None  # None: not counting (set-up, the harness's own calls)
        self.calls: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.seconds: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.order: list[str] = []
        self.timeline: list[tuple[str, float]] = []  # (what, when) for the split

    def add(self, label: str, seconds: float, bucket: str | None) -> None:
        """One call, in the bucket that was current when it started."""
        if bucket is None:
            return
        self.calls[bucket][label] += 1
        self.seconds[bucket][label] += seconds

    def wrap(self, owner: type, name: str, label: str | None = None,
             labeller: Callable[..., str] | None = None, mark: str | None = None) -> None:
        """Count `owner.name`; `labeller(self, *args, **kwargs)` may name each call apart;
        `mark` puts its start and end on the timeline."""
        if name not in owner.__dict__:  # a copy on a subclass would run twice as a handler
            raise AttributeError(f"{owner.__name__} does not define {name}")
        original = owner.__dict__[name]
        label = label or f"{owner.__name__}.{name}"
        if label not in self.order:
            self.order.append(label)
        probe = self

        if inspect.iscoroutinefunction(original):
            @functools.wraps(original)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                bucket, start = probe.bucket, perf()
                if mark:
                    probe.timeline.append((f"{mark}>", start))
                try:
                    return await original(*args, **kwargs)
                finally:
                    end = perf()
                    if mark:
                        probe.timeline.append((f"{mark}<", end))
                    probe.add(labeller(*args, **kwargs) if labeller else label, end - start,
                              bucket)

            setattr(owner, name, async_wrapper)
            return

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bucket, start = probe.bucket, perf()
            if mark:
                probe.timeline.append((f"{mark}>", start))
            try:
                return original(*args, **kwargs)
            finally:
                end = perf()
                if mark:
                    probe.timeline.append((f"{mark}<", end))
                probe.add(labeller(*args, **kwargs) if labeller else label, end - start,
                          bucket)

        setattr(owner, name, wrapper)


PROBE = Probe()


def time_collections() -> None:
    """The garbage collector's pauses, counted like a function (by generation)."""
    import gc

    started: list[tuple[str | None, float]] = []

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append((PROBE.bucket, perf()))
        elif started:
            bucket, start = started.pop()
            PROBE.add(f"gc collection, generation {info['generation']}", perf() - start, bucket)

    gc.callbacks.append(callback)


def instrument_textual() -> None:
    from textual._compositor import Compositor
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget
    from textual.widgets import DataTable, Digits, Static

    def refresh_label(widget: Any, *regions: Any, layout: bool = False, **_: Any) -> str:
        kind = "layout" if layout else ("region" if regions else "whole")
        return f"Widget.refresh ({type(widget).__name__}, {kind})"

    def update_label(widget: Any, *_a: Any, layout: bool = True, **_k: Any) -> str:
        return f"Static.update (#{widget.id or type(widget).__name__}, layout={layout})"

    w = PROBE.wrap
    w(App, "_check_bindings")
    w(App, "run_action")
    w(App, "notify")
    w(Screen, "refresh_bindings")
    w(Screen, "_on_timer_update", "Screen._on_timer_update (a frame)", mark="frame")
    w(Screen, "_refresh_layout", "Screen._refresh_layout (layout pass)")
    w(Compositor, "reflow")
    w(Compositor, "update_widgets")
    w(Compositor, "render_update")
    w(Widget, "refresh", labeller=refresh_label)
    w(Widget, "_on_idle", "Widget._on_idle")
    w(Static, "update", labeller=update_label)
    w(DataTable, "update_cell")
    w(DataTable, "render_line", "DataTable.render_line (one line drawn)")
    w(DataTable, "_render_cell", "DataTable._render_cell (cache miss: a cell drawn)")
    w(DataTable, "_on_idle", "DataTable._on_idle")
    w(DataTable, "move_cursor")
    w(Digits, "update")


def instrument_kit() -> None:
    import kit.screens.area as area_module
    from kit.screens.area import AreaScreen
    from kit.session import SessionState, Snapshot
    from kit.store import Store
    from kit.widgets.keys import KeyBar
    from kit.widgets.timer import TimerDisplay

    w = PROBE.wrap
    w(AreaScreen, "action_digit", mark="handler")
    w(AreaScreen, "action_dots", mark="handler")
    w(AreaScreen, "refresh_view")
    w(AreaScreen, "_fill_table")
    w(AreaScreen, "_show_detail")
    w(AreaScreen, "_show_status")
    w(AreaScreen, "highlighted", "AreaScreen.highlighted (the cursor moved)")
    from kit.widgets.practicetable import PracticeTable

    w(PracticeTable, "render_line", "PracticeTable.render_line (one line drawn)")
    w(PracticeTable, "_draw", "PracticeTable._draw (a row drawn)")
    w(PracticeTable, "set_row")
    w(Store, "_append", "Store._append (validate, write, commit, fold)")
    w(Store, "snapshot")
    w(SessionState, "snapshot")
    w(Snapshot, "tally")
    w(KeyBar, "_bindings_updated")
    w(KeyBar, "refresh_keys")
    w(TimerDisplay, "update_timer")
    original = area_module.describe

    def describe(*args: Any, **kwargs: Any) -> Any:
        bucket, start = PROBE.bucket, perf()
        try:
            return original(*args, **kwargs)
        finally:
            PROBE.add("kit.view.describe", perf() - start, bucket)

    area_module.describe = describe  # type: ignore[assignment]
    PROBE.order.append("kit.view.describe")


class CommitTimer:
    """Stands in for the store's connection: times each COMMIT (where the fsync happens)."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def execute(self, sql: str, *args: Any) -> Any:
        if sql != "COMMIT":
            return self._db.execute(sql, *args)
        bucket, start = PROBE.bucket, perf()
        try:
            return self._db.execute(sql, *args)
        finally:
            PROBE.add("sqlite COMMIT (fsync)", perf() - start, bucket)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


def kit_app(groups: int, work: Path,
            session_kind: str) -> tuple[Any, Callable[[], bool], Callable[[], int]]:
    from bench.run import empty_folder, session_folder
    from kit.app import WorkshopApp
    from kit.screens.area import AreaScreen

    if session_kind == "large":
        folder, session = session_folder(work, "large")  # as the benchmark's large session
    else:
        folder, session = empty_folder(work, groups)

    class Timed(Shown, WorkshopApp):
        pass

    app = Timed(data_dir=folder, session_id=session)
    PROBE.order.append("sqlite COMMIT (fsync)")

    def ready() -> bool:
        if not isinstance(app.screen, AreaScreen):
            return False
        if not isinstance(app.store._db, CommitTimer):
            app.store._db = CommitTimer(app.store._db)  # type: ignore[assignment]
        return True

    return app, ready, lambda: app.snapshot().entry_count


def bare_app() -> tuple[Any, Callable[[], bool], Callable[[], int]]:
    """The benchmark's bare-keys app (bench/children.py), with its action on the timeline."""
    bare = bare_keys_app()
    PROBE.wrap(bare, "action_count", mark="handler")
    app = bare()
    return app, lambda: bool(app.screen.query("#count")), lambda: app.presses


def drive(app: Any, ready: Callable[[], bool], count: Callable[[], int], presses: int,
          profiler: Any) -> list[float]:
    """`time_presses` with the probe's buckets switched as the keys go in and come out."""
    keys = {key for key, _char in CYCLE}
    started = False

    def hooked_ready() -> bool:
        nonlocal started
        if not ready():
            return False
        if not started:
            started = True
            send = app._driver.send_message

            def send_message(message: Any) -> None:
                if getattr(message, "key", None) in keys:
                    PROBE.bucket = "press"
                    PROBE.timeline.append(("send", perf()))
                    if profiler is not None and not profiler.on:
                        profiler.start()
                send(message)

            app._driver.send_message = send_message
            display = app._display

            def _display(screen: Any, renderable: Any) -> None:
                display(screen, renderable)
                if renderable is not None:
                    PROBE.timeline.append(("display", perf()))
                    if PROBE.bucket == "press" and handled():
                        PROBE.bucket = "after"  # the frame the benchmark stops its clock at

            app._display = _display
        return True

    def handled() -> bool:
        """Whether the key's action has returned since the key was sent."""
        for what, _when in reversed(PROBE.timeline):
            if what == "handler<":
                return True
            if what == "send":
                return False
        return False

    def quiet_count() -> int:
        # The harness's own look at the store is no part of the key press.
        bucket, PROBE.bucket = PROBE.bucket, None
        try:
            return count()
        finally:
            PROBE.bucket = bucket

    async def run() -> list[float]:
        return await time_presses(app, hooked_ready, quiet_count, presses)

    times = asyncio.run(run())
    PROBE.bucket = None
    if profiler is not None:
        profiler.stop()
    return times


class Profiler:
    """cProfile or pyinstrument, started at the first timed key."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.on = False
        if kind == "cprofile":
            import cProfile

            self.impl: Any = cProfile.Profile()
        else:
            from pyinstrument import Profiler as Pyinstrument

            self.impl = Pyinstrument(interval=0.0002, async_mode="disabled")

    def start(self) -> None:
        self.on = True
        self.impl.enable() if self.kind == "cprofile" else self.impl.start()

    def stop(self) -> None:
        if self.on:
            self.impl.disable() if self.kind == "cprofile" else self.impl.stop()

    def report(self, presses: int, out: str | None) -> None:
        if self.kind == "cprofile":
            import pstats

            if out:
                self.impl.dump_stats(out)
                print(f"\ncProfile data in {out} (python -m pstats {out})")
            stats = pstats.Stats(self.impl)
            stats.sort_stats("cumulative")
            print(f"\ncProfile, cumulative, over the whole press loop ({presses} timed keys "
                  "and the ↓ keys between them)")
            stats.print_stats(45)
            stats.sort_stats("tottime")
            stats.print_stats(25)
        else:
            if out:
                Path(out).write_text(self.impl.output_html(), "utf-8")
                print(f"\npyinstrument HTML in {out}")
            print(self.impl.output_text(unicode=True, color=False, show_all=False))


def split(presses: int) -> list[dict[str, float]]:
    """Per timed key: dispatch, handler, wait for the frame, the frame, total (ms)."""
    rows = []
    current: dict[str, float] = {}
    frame_start = 0.0
    for what, when in PROBE.timeline:
        if what == "send":
            current = {"send": when}
        elif what == "handler>" and "send" in current and "h0" not in current:
            current["h0"] = when
        elif what == "handler<" and "h0" in current and "h1" not in current:
            current["h1"] = when
        elif what == "frame>":
            frame_start = when
        elif what == "display" and "h1" in current and "shown" not in current:
            current["shown"] = when
            start = max(frame_start, current["h1"])
            rows.append({
                "dispatch": (current["h0"] - current["send"]) * 1000,
                "handler": (current["h1"] - current["h0"]) * 1000,
                "wait for the frame": (start - current["h1"]) * 1000,
                "frame (layout + render)": (when - start) * 1000,
                "handler returned → shown": (when - current["h1"]) * 1000,
                "total": (when - current["send"]) * 1000,
            })
    return rows[:presses]


def show(rows: list[dict[str, float]], presses: int, latencies: list[float]) -> None:
    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    print(f"\n{len(rows)} key presses split (ms)    median      p95     mean")
    for column in rows[0]:
        values = [r[column] for r in rows]
        print(f"  {column:<30} {statistics.median(values):8.2f} {p95(values):8.2f} "
              f"{statistics.fmean(values):8.2f}")
    ms = [t * 1000 for t in latencies]
    print(f"  {'as the benchmark times it':<30} {statistics.median(ms):8.2f} {p95(ms):8.2f} "
          f"{statistics.fmean(ms):8.2f}")
    slowest = sorted(rows, key=lambda r: r["total"])[-max(1, len(rows) // 10):]
    print(f"\nthe slowest tenth ({len(slowest)} presses), mean ms")
    for column in rows[0]:
        print(f"  {column:<30} {statistics.fmean(r[column] for r in slowest):8.2f}")
    for bucket, title in (("press", "key sent → screen updated"),
                          ("after", "screen updated → next key (incl. the ↓ keys)")):
        print(f"\nper key press, {title}: calls, ms (inclusive)")
        calls, seconds = PROBE.calls[bucket], PROBE.seconds[bucket]
        labels = sorted(calls, key=lambda label: -seconds[label])
        for label in labels:
            print(f"  {calls[label] / presses:7.2f}  {seconds[label] * 1000 / presses:7.3f}  "
                  f"{label}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", choices=("kit", "bare"), default="kit")
    parser.add_argument("--presses", type=int, default=300)
    parser.add_argument("--groups", type=int, default=10, help="groups in the empty session")
    parser.add_argument("--session", choices=("empty", "large"), default="empty",
                        help="the kit's session: empty, or the benchmark's large one")
    parser.add_argument("--profile", choices=("none", "cprofile", "pyinstrument"),
                        default="none")
    parser.add_argument("--out", help="cProfile stats or pyinstrument HTML to this file")
    args = parser.parse_args(argv)
    instrument_textual()
    time_collections()
    profiler = None if args.profile == "none" else Profiler(args.profile)
    with tempfile.TemporaryDirectory(prefix="tyopaja-profile-") as work:
        if args.app == "kit":
            instrument_kit()
            app, ready, count = kit_app(args.groups, Path(work), args.session)
        else:
            app, ready, count = bare_app()
        latencies = drive(app, ready, count, args.presses, profiler)
    show(split(args.presses), args.presses, latencies)
    if profiler is not None:
        profiler.report(args.presses, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
