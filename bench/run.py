"""The benchmark: every figure against a baseline measured in the same run, with targets.

    python bench/run.py [--quick] [--json FILE] [--keep DIR]

Machines here are noisy and old laptops are slower still, so absolute times say little; a
ratio to a baseline taken minutes apart on the same machine does. Each figure is the median of
several runs (the count is printed), taken in turn with its baseline; where the two are taken
back to back the ratio is the median of the pairs' ratios, since this machine's speed drifts
for seconds at a time. Fresh processes are used wherever start-up is part of what a
facilitator waits for. Prints a Markdown table and writes the metrics as JSON: a list
of {"name", "value", "unit", "baseline", "ratio", "target", "ok"}. A few figures have an
absolute target only (the phone room's: a facilitator waits for seconds, not ratios); their
ratio to the baseline is still shown.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.large import make_large  # noqa: E402
from kit.deck import load_deck  # noqa: E402
from kit.store import Store  # noqa: E402

T = TypeVar("T")
CHILD = [sys.executable, str(ROOT / "bench" / "children.py")]
KIT = [sys.executable, "-m", "kit"]


@dataclass
class Metric:
    name: str
    value: float
    unit: str
    baseline: float
    ratio: float
    target: str
    ok: bool
    runs: int
    baseline_name: str


@dataclass(frozen=True)
class Plan:
    """How many times each thing is measured (--quick keeps the whole run under 3 minutes)."""

    startup: int
    memory: int
    presses: int
    entries: int
    pdf: int
    scale_presses: int
    room_bursts: int  # forty phones at once, this many times in all (see ROOM_CHILDREN)


# PDF runs: a summary's time varies by 7 % from run to run here; medians of 5 and 7 keep a
# ratio near its limit from passing or failing by chance.
# Room bursts: a key press overlaps about one burst of forty in each (a burst is ~40 ms), so
# the p95 of the keys during them needs some dozens; 40 per child stays under the round's
# 2,000 tokens (41 a burst with the lone phone).
FULL = Plan(startup=11, memory=5, presses=200, entries=400, pdf=7, scale_presses=120,
            room_bursts=80)
QUICK = Plan(startup=7, memory=3, presses=100, entries=200, pdf=5, scale_presses=60,
             room_bursts=40)
ROOM_CHILDREN = 2  # fresh processes, each on its own copy of the large session


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def child_env() -> dict[str, str]:
    """As after `pip install .`: bytecode compiled and used (some shells turn it off)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_kit() -> None:
    """pip compiles an installed package; a source checkout may not have been."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kit"),
                    str(ROOT / "bench")], check=True, env=child_env())


def child(args: list[str], *, cwd: Path | None = None) -> tuple[float, dict[str, object]]:
    """Run a fresh process; its wall time and the JSON line it printed last (if any)."""
    env = child_env()
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env, timeout=600)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return seconds, (json.loads(lines[-1]) if lines else {})


def interleaved(runs: int, *makers: Callable[[], T]) -> list[list[T]]:
    """Alternate the measurements so that a noisy minute hits all of them alike.

    Every other round runs them in reverse order (A B, B A, ...), so that going first or
    straight after the other (a cold cache, the other's fsync still settling) evens out.
    """
    results: list[list[T]] = [[] for _ in makers]
    order = list(enumerate(makers))
    for round_ in range(runs):
        for n, make in order if round_ % 2 == 0 else reversed(order):
            results[n].append(make())
    return results


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def paired(ours: list[float], baseline: list[float]) -> float:
    """The median of the ratios of measurements taken back to back.

    This machine speeds up and slows down for seconds at a time; two runs side by side see the
    same speed, while the medians of each series may come from different spells.
    """
    return statistics.median(a / b for a, b in zip(ours, baseline, strict=True))


def metric(name: str, value: float, unit: str, baseline: float, baseline_name: str,
           runs: int, max_ratio: float | None, limit: float | None = None,
           ratio: float | None = None) -> Metric:
    """A figure against its baseline; `ratio` when it is paired, else value / baseline.

    `max_ratio` None: the target is `limit` alone (the ratio is shown, not judged).
    """
    if ratio is None:
        ratio = value / baseline if baseline else float("inf")
    targets = ([f"≤ {max_ratio:g}×"] if max_ratio is not None else []) + (
        [f"≤ {limit:g} {unit}"] if limit is not None else [])
    if not targets:
        raise ValueError(f"{name}: no target")
    target = " and ".join(targets)
    ok = (max_ratio is None or ratio <= max_ratio) and (limit is None or value <= limit)
    return Metric(name, round(value, 3), unit, round(baseline, 3), round(ratio, 2), target, ok,
                  runs, baseline_name)


# the sessions ---------------------------------------------------------------------------------


def session_folder(work: Path, name: str, **large: int) -> tuple[Path, str]:
    """A data folder holding one generated session, left on its first area."""
    folder = work / name
    with Store(folder) as store:
        session = make_large(store, **large)
        store.session(session).record_step("area", store.snapshot(session).meta.area_ids[0])
    return folder, session


def empty_folder(work: Path, groups: int = 10) -> tuple[Path, str]:
    folder = work / "empty"
    with Store(folder) as store:
        session = store.create_session(load_deck(), association="Tyhjä ry", date="2027-03-12",
                                       groups=[f"Ryhmä {n + 1}" for n in range(groups)])
        store.session(session).record_step("area", store.snapshot(session).meta.area_ids[0])
    return folder, session


def demo_folder(work: Path) -> tuple[Path, str]:
    folder = work / "demo"
    _seconds, _ = child([*KIT, "--data-dir", str(folder), "demo", "--no-ui"])
    with Store(folder) as store:
        (session,) = [s.id for s in store.sessions()]
    return folder, session


# the measurements -----------------------------------------------------------------------------


def startup_and_memory(plan: Plan, large: tuple[Path, str]) -> list[Metric]:
    folder, session = large
    bare: list[float] = []
    app: list[float] = []
    bare_peak: list[float] = []
    app_peak: list[float] = []

    def bare_run() -> float:
        seconds, out = child([*CHILD, "bare-app"])
        bare_peak.append(float(out["peak_kib"]) / 1024)  # type: ignore[arg-type]
        return seconds

    def app_run() -> float:
        seconds, _ = child([*CHILD, "app", str(folder)])
        return seconds

    def open_run() -> float:
        seconds, out = child([*CHILD, "app", str(folder), session])
        app_peak.append(float(out["peak_kib"]) / 1024)  # type: ignore[arg-type]
        return seconds

    say(f"start-up: {plan.startup} fresh processes each")
    bare, app = interleaved(plan.startup, bare_run, app_run)
    say(f"memory: {plan.memory} fresh processes with the large session open")
    (_opened,) = interleaved(plan.memory, open_run)
    return [
        metric("start-up to the first screen (fresh process)", statistics.median(app), "s",
               statistics.median(bare), "bare Textual app with one Static", plan.startup, 1.3,
               ratio=paired(app, bare)),
        metric("peak memory, large session open", statistics.median(app_peak), "MiB",
               statistics.median(bare_peak), "bare Textual app with one Static", plan.memory,
               1.5),
    ]


def key_latencies(folder: Path, session: str, presses: int) -> list[float]:
    _seconds, out = child([*CHILD, "keys", str(folder), session, str(presses)])
    return [float(t) * 1000 for t in out["latencies"]]  # type: ignore[union-attr]


def bare_key_latencies(presses: int) -> list[float]:
    """The same keys, timed the same way, in a bare Textual app that repaints a Static."""
    _seconds, out = child([*CHILD, "bare-keys", str(presses)])
    return [float(t) * 1000 for t in out["latencies"]]  # type: ignore[union-attr]


def keys(plan: Plan, large: tuple[Path, str], empty: tuple[Path, str]) -> list[Metric]:
    say(f"key presses: {plan.presses} in the large session, in an empty one and in a bare "
        "Textual app")
    # In four turns each (large, empty, bare, bare, empty, large, ...), so that a slow spell
    # of the machine lands on all of them rather than on one. The empty session sits between
    # the other two in every turn: each metric's two series run back to back. The bare app's
    # time is nearly all Textual waiting for its next frame (at most 60 a second, on a fixed
    # grid; bench/profile_keys.py splits a press up), so the ratio is what the kit adds to that.
    big, small, bare = ([ms for chunk in chunks for ms in chunk] for chunks in interleaved(
        4, lambda: key_latencies(*large, plan.presses // 4),
        lambda: key_latencies(*empty, plan.presses // 4),
        lambda: bare_key_latencies(plan.presses // 4)))
    return [metric("key press → entry committed and screen updated, p95, large session",
                   p95(big), "ms", p95(small), "the same in an empty session", plan.presses,
                   2, 50),
            metric("key press → entry committed and screen updated, p95, empty session",
                   p95(small), "ms", p95(bare),
                   "bare Textual app repainting a Static on a key press (same run)",
                   plan.presses, 2)]


def store_entry(plan: Plan, work: Path) -> list[Metric]:
    """One durable entry through the store against a bare insert + commit, same pragmas."""
    say(f"store: {plan.entries} durable entries each way")
    deck = load_deck()
    practice = next(iter(deck.practices())).id
    bare_db = sqlite3.connect(work / "bare.sqlite3", isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                   "secure_delete=ON"):
        bare_db.execute(f"PRAGMA {pragma}")
    bare_db.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                    "session_id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, "
                    "data TEXT NOT NULL)")
    payload = json.dumps({"group": 1, "practice": practice, "level": "hyvin", "delta": 1})
    with Store(work / "store") as store:
        session = store.create_session(deck, association="Mittaus ry", date="2027-03-12",
                                       groups=["A"])

        def through_store() -> float:
            start = time.perf_counter()
            store.session(session).record_rating(1, practice, "hyvin", 1)
            return time.perf_counter() - start

        def bare() -> float:
            start = time.perf_counter()
            bare_db.execute("BEGIN IMMEDIATE")
            bare_db.execute("INSERT INTO entries (session_id, kind, at, data) VALUES "
                            "(?, ?, ?, ?)", (session, "rating", "2027-03-12T10:00:00Z",
                                             payload))
            bare_db.execute("COMMIT")
            return time.perf_counter() - start

        ours, baseline = interleaved(plan.entries, through_store, bare)
    bare_db.close()
    return [metric("one durable entry through the store, median",
                   statistics.median(ours) * 1000, "ms", statistics.median(baseline) * 1000,
                   "bare sqlite3 insert + commit, same pragmas", plan.entries, 1.5,
                   ratio=paired(ours, baseline))]


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def cards(plan: Plan, work: Path) -> list[Metric]:
    say(f"cards: {plan.pdf} fresh processes each")
    out = work / "kortit.pdf"
    child([*KIT, "cards", "-o", str(out)])
    pages = pdf_pages(out)
    ours, bare = interleaved(
        plan.pdf,
        lambda: child([*KIT, "cards", "-o", str(out)])[0],
        lambda: child([*CHILD, "bare-pdf", str(pages), str(work / "bare.pdf")])[0],
    )
    return [metric(f"`tyopaja cards` end to end ({pages} pages, fresh process)",
                   statistics.median(ours), "s", statistics.median(bare),
                   "bare reportlab document, same pages and font", plan.pdf, 2,
                   ratio=paired(ours, bare))]


def summary_seconds(folder: Path, session: str, out: Path, *extra: str) -> float:
    seconds, _ = child([*KIT, "--data-dir", str(folder), "summary", session, "-o", str(out),
                        *extra])
    return seconds


def summaries(plan: Plan, work: Path, large: tuple[Path, str],
              demo: tuple[Path, str]) -> list[Metric]:
    say(f"summary: {plan.pdf} fresh processes each")
    ours, baseline = interleaved(
        plan.pdf,
        lambda: summary_seconds(*large, work / "suuri.pdf"),
        lambda: summary_seconds(*demo, work / "demo.pdf"),
    )
    pages = pdf_pages(work / "suuri.pdf")
    return [metric(f"`tyopaja summary`, large session ({pages} pages, fresh process)",
                   statistics.median(ours), "s", statistics.median(baseline),
                   "`tyopaja summary` of the demo session", plan.pdf, 3, 2,
                   ratio=paired(ours, baseline))]


# Forks and execs `argv`, waits with wait4 and prints the child's time and peak memory. Linux
# counts the memory a process had before its exec in its peak, and a forked child starts as a
# copy of its parent; so the child is forked from this small interpreter (`-S`, a few MiB),
# not from the benchmark, whose size would otherwise be every child's floor.
_TRAMPOLINE = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(json.dumps({"seconds": time.perf_counter() - start, "status": status,
                  "maxrss": usage.ru_maxrss}))
"""


def measured(args: list[str]) -> tuple[float, float]:
    """A fresh process's wall time and its own peak memory (MiB), from `wait4`."""
    done = subprocess.run([sys.executable, "-S", "-c", _TRAMPOLINE, *args],
                          capture_output=True, text=True, env=child_env(), timeout=600)
    result = json.loads(done.stdout.splitlines()[-1]) if done.stdout else {}
    if done.returncode != 0 or os.waitstatus_to_exitcode(result.get("status", 1)) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    peak = result["maxrss"] / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return float(result["seconds"]), peak


def region(plan: Plan, work: Path) -> list[Metric]:
    """`tyopaja region` over 500 associations' exports against the same over one export."""
    from bench.exports import write_exports

    count = 500
    say(f"region: {count} generated exports, {plan.pdf} fresh processes each")
    folder = work / "alue"
    paths = write_exports(folder, count)
    many = [*KIT, "region", str(folder), "-o", str(work / "alue.md")]
    one = [*KIT, "region", str(paths[0]), "-o", str(work / "yksi.md")]
    ours, baseline = interleaved(plan.pdf, lambda: measured(many), lambda: measured(one))
    seconds = [s for s, _ in ours]
    memory, memory_one = (statistics.median(m for _, m in runs) for runs in (ours, baseline))
    return [
        metric(f"`tyopaja region`, {count} exports (fresh process)", statistics.median(seconds),
               "s", statistics.median(s for s, _ in baseline),
               "`tyopaja region` of one export", plan.pdf, None, 10),
        metric(f"peak memory, `tyopaja region` of {count} exports", memory, "MiB", memory_one,
               "peak RSS of `tyopaja region` of one export, fresh process", plan.pdf, 2),
    ]


def growth(plan: Plan, work: Path) -> tuple[list[Metric], list[tuple[str, str, str]]]:
    """How cost grows with the size of the session: flat for keys, linear for the summary."""
    rows: list[tuple[str, str, str]] = []
    key_p95: dict[int, float] = {}
    for entries in (1_000, 10_000, 100_000):
        say(f"growth: key presses at {entries:,} log entries")
        folder, session = session_folder(work, f"keys-{entries}", entries=entries,
                                         comments=entries // 10)
        key_p95[entries] = p95(key_latencies(folder, session, plan.scale_presses))
        rows.append(("key press p95", f"{entries:,} log entries", f"{key_p95[entries]:.1f} ms"))
    summary_s: dict[int, float] = {}
    for comments in (100, 1_000, 10_000):
        say(f"growth: summary with {comments:,} comments")
        folder, session = session_folder(work, f"summary-{comments}", entries=comments + 2_000,
                                         comments=comments)
        summary_s[comments] = statistics.median(
            summary_seconds(folder, session, work / f"summary-{comments}.pdf",
                            "--comments", "all")  # every comment: the cost of the layout
            for _ in range(max(1, plan.pdf // 2)))
        pages = pdf_pages(work / f"summary-{comments}.pdf")
        rows.append(("summary", f"{comments:,} comments ({pages} pages)",
                     f"{summary_s[comments]:.2f} s"))
    return [
        metric("key press p95 at 100k log entries (stays flat)", key_p95[100_000], "ms",
               key_p95[1_000], "the same at 1k entries", plan.scale_presses, 2),
        metric("summary with 10,000 comments (no worse than linear)", summary_s[10_000], "s",
               summary_s[1_000], "the same with 1,000 comments", max(1, plan.pdf // 2), 10),
    ], rows


def room(plan: Plan, work: Path, large: tuple[Path, str]) -> list[Metric]:
    """Forty phones at once against one phone alone, and the area screen's keys meanwhile.

    Each child (bench/children.py `room-burst`) runs the real app on the large session's area
    screen with the phone room's server in the same event loop, on 127.0.0.1 and a free port;
    the phones are a process of their own (bench/phones.py). Every burst of forty has a lone
    phone's ballot beside it (same server, same run); the keys are timed throughout, those
    during the forty's ballots against those in the quiet spells between.
    """
    folder, session = large
    each = max(1, plan.room_bursts // ROOM_CHILDREN)
    say(f"phone room: {ROOM_CHILDREN} fresh processes, {each} bursts of forty phones each, "
        "keys pressed on the area screen throughout")
    alone: list[float] = []
    totals: list[float] = []
    replies: list[float] = []
    during: list[float] = []
    idle: list[float] = []
    for n in range(ROOM_CHILDREN):
        copy = work / f"room-{n}"  # a round's ballots and the keys' entries stay out of large
        shutil.copytree(folder, copy)
        _seconds, out = child([*CHILD, "room-burst", str(copy), session, str(each)])
        for into, key in ((alone, "alone"), (totals, "totals"), (replies, "replies"),
                          (during, "during"), (idle, "idle")):
            into += [float(t) * 1000 for t in out[key]]  # type: ignore[union-attr]
    bursts = len(totals)
    if len(during) < 20:
        say(f"phone room: only {len(during)} key presses during the bursts")
    return [
        metric("forty phones send a ballot at once: time until all are committed, median",
               statistics.median(totals) / 1000, "s", statistics.median(alone) / 1000,
               "one phone's ballot alone, same server (median)", bursts, None, 2,
               ratio=paired(totals, alone)),
        metric("forty phones at once: reply p95", p95(replies), "ms", p95(alone),
               "one phone's ballot alone, same server (p95)", bursts, None, 200),
        metric("key press p95 on the area screen while forty phones send", p95(during), "ms",
               p95(idle), f"the same, idle between the bursts ({len(idle)} presses)",
               len(during), 2),
    ]


# the report -----------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def table(metrics: list[Metric], rows: list[tuple[str, str, str]], quick: bool) -> str:
    lines = [f"Machine: {machine()}; {'--quick' if quick else 'full'} run, "
             f"{time.strftime('%Y-%m-%d')}.", "",
             "| metric | value | baseline (same run) | ratio | target | ok | runs |",
             "|---|---|---|---|---|---|---|"]
    for m in metrics:
        lines.append(f"| {m.name} | {m.value:g} {m.unit} | {m.baseline:g} {m.unit} "
                     f"({m.baseline_name}) | {m.ratio:g}× | {m.target} | "
                     f"{'yes' if m.ok else '**no**'} | {m.runs} |")
    lines += ["", "| growth | size | value |", "|---|---|---|"]
    lines += [f"| {what} | {size} | {value} |" for what, size, value in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (under 3 minutes)")
    parser.add_argument("--json", metavar="FILE", help="write the metrics here as JSON")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    compile_kit()
    with tempfile.TemporaryDirectory(prefix="tyopaja-bench-") as scratch:
        work = Path(args.keep or scratch)
        work.mkdir(parents=True, exist_ok=True)
        say("making the sessions (10 groups, 40 ballots, 20,000 entries, 2,000 comments, "
            "40 action items)")
        large = session_folder(work, "large")
        empty = empty_folder(work)
        demo = demo_folder(work)
        metrics = [
            *startup_and_memory(plan, large),
            *keys(plan, large, empty),
            *store_entry(plan, work),
            *cards(plan, work),
            *summaries(plan, work, large, demo),
            *room(plan, work, large),
            *region(plan, work),
        ]
        more, rows = growth(plan, work)
        metrics += more
    print(table(metrics, rows, args.quick))
    say(f"took {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(m) for m in metrics], indent=2,
                                              ensure_ascii=False) + "\n", "utf-8")
    return 0 if all(m.ok for m in metrics) else 1


if __name__ == "__main__":
    raise SystemExit(main())
