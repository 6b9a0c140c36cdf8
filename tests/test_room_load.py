"""Forty phones at once: every ballot counted exactly once, quickly, and the facilitator's
screen keeps answering its keys while the ballots come in.

Numbers are printed (run with -s to see them) for the benchmark to pick up later; the
asserted limits are loose enough for a shared CI machine, the targets are in the names.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from kit.dbfile import ROLLBACK, TEST_JOURNAL_HOOK, WAL
from kit.deck import load_deck
from kit.room.round import PhoneRound
from kit.room.server import RoomServer
from kit.store import Store

DECK = load_deck()
AREA = DECK.areas[0]
P = [p.id for p in AREA.practices]
L = [level.id for level in DECK.scale]
PHONES = 40
BURSTS = 10  # with the app: the forty again and again, for enough key presses to time

TARGET_ALL_COMMITTED = 2.0  # seconds, all 40
TARGET_REPLY_P95 = 0.200  # seconds, one ballot's reply
KEY_LIMIT = 0.250  # seconds, a key press on the area screen during the burst


def forty_ballots(dots: int) -> list[dict[str, Any]]:
    """Forty different valid ballots: which practices are rated follows the bits of n, at a
    level that moves with n; the dots go round the practices."""
    ballots = []
    for n in range(PHONES):
        rated = [p for j, p in enumerate(P) if (n + 1) >> j & 1] or [P[0]]
        ratings = {p: L[(n + j) % len(L)] for j, p in enumerate(rated)}
        given = {P[n % len(P)]: 1 + n % dots} if n % 5 else {}
        ballots.append({"ratings": ratings, "dots": given})
    unique = {json.dumps(b, sort_keys=True) for b in ballots}
    assert len(unique) == PHONES
    return ballots


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


class Burst:
    """One burst's numbers: when the ballots went and the last answer came (perf_counter),
    each reply's time, and the answers."""

    def __init__(self, started: float, ended: float, replies: list[float],
                 answers: list[dict[str, Any]]) -> None:
        self.started, self.ended, self.replies, self.answers = started, ended, replies, answers

    @property
    def total(self) -> float:
        return self.ended - self.started


async def burst(url: str, ballots: list[dict[str, Any]]) -> Burst:
    """Each phone its own connection and token; then all forty ballots at once."""
    sessions = [aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
                for _ in ballots]
    try:
        async def token(http: aiohttp.ClientSession) -> str:
            async with http.post(f"{url}/api/token") as reply:
                assert reply.status == 200
                return str((await reply.json())["token"])

        tokens = await asyncio.gather(*(token(http) for http in sessions))

        async def send(http: aiohttp.ClientSession, body: dict[str, Any]) -> tuple[
                float, dict[str, Any]]:
            started = time.perf_counter()
            async with http.post(f"{url}/api/ballot", json=body) as reply:
                answer = await reply.json()
                assert reply.status == 200, answer
            return time.perf_counter() - started, answer

        started = time.perf_counter()
        results = await asyncio.gather(*(
            send(http, {"token": tok, **ballot})
            for http, tok, ballot in zip(sessions, tokens, ballots, strict=True)))
        ended = time.perf_counter()
    finally:
        await asyncio.gather(*(http.close() for http in sessions))
    return Burst(started, ended, [r[0] for r in results], [r[1] for r in results])


def expected_totals(ballots: list[dict[str, Any]]) -> tuple[Counter[tuple[str, str]],
                                                            Counter[str]]:
    ratings: Counter[tuple[str, str]] = Counter()
    dots: Counter[str] = Counter()
    for ballot in ballots:
        ratings.update(ballot["ratings"].items())
        dots.update(ballot["dots"])
    return ratings, dots


def check_answers(answers: list[dict[str, Any]], before: int = 0) -> None:
    """Every phone told "counted", and the round holds each ballot once: ballots that arrive
    together are committed together, so a phone hears the count after its batch."""
    assert [a["status"] for a in answers] == ["counted"] * PHONES
    counts = [a["count"] for a in answers]
    assert all(before < n <= before + PHONES for n in counts)
    assert max(counts) == before + PHONES


def check_totals(phone_round: PhoneRound, ballots: list[dict[str, Any]], times: int = 1) -> None:
    """After closing: the area's totals are the sum of the ballots, nothing more or less."""
    assert phone_round.close() == PHONES * times
    totals = phone_round.box.snapshot.ballot_totals(AREA.id)
    ratings, dots = expected_totals(ballots)
    assert totals.ballots == PHONES * times
    assert totals.ratings == {k: n * times for k, n in ratings.items()}
    assert totals.dots == {k: n * times for k, n in dots.items()}


@pytest.mark.parametrize("journal", [WAL, ROLLBACK])
async def test_forty_phones_at_once_are_each_counted_once(
        loopback: list[Any], data_dir: Path, journal: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Also with the rollback journal (a FAT stick), where each commit costs more syncs."""
    if journal == ROLLBACK:
        monkeypatch.setenv(TEST_JOURNAL_HOOK, ROLLBACK)
    store = Store(data_dir)
    assert store.journal == journal
    handle = store.session(store.create_session(DECK))
    phone_round = PhoneRound(handle, AREA.id)
    server = RoomServer(phone_round, lang="fi")
    url = await server.start("127.0.0.1", 0)
    try:
        ballots = forty_ballots(handle.snapshot.meta.dots)
        result = await burst(url, ballots)
        check_answers(result.answers)
        assert phone_round.count == PHONES
        check_totals(phone_round, ballots)
    finally:
        await server.stop()
        store.close()
    replies = result.replies
    print(f"\n40 phones at once: all committed in {result.total * 1000:.0f} ms, reply p95 "
          f"{p95(replies) * 1000:.0f} ms, median {statistics.median(replies) * 1000:.0f} ms"
          f" ({store.journal})")
    assert result.total <= TARGET_ALL_COMMITTED * 2  # generous: 2 shared cores in CI
    assert p95(replies) <= TARGET_REPLY_P95 * 5


# --- the facilitator's screen during the burst ----------------------------------------------


class _Shown:
    """Mixed into the app: `shown` is set whenever Textual renders a screen update (the
    benchmark's way of timing a key, bench/children.py)."""

    shown: asyncio.Event

    def _display(self, screen: Any, renderable: Any) -> None:
        super()._display(screen, renderable)  # type: ignore[misc]
        if renderable is not None and hasattr(self, "shown"):
            self.shown.set()


async def press(app: Any, count: Any, key: str) -> float:
    """Seconds from a key press to the first screen update after its entry was stored."""
    from textual import events

    before = count()
    event = events.Key(key, key)
    event.set_sender(app)
    app.shown.clear()
    started = time.perf_counter()
    app._driver.send_message(event)
    while True:
        await asyncio.wait_for(app.shown.wait(), 10)
        if count() > before:
            return time.perf_counter() - started
        app.shown.clear()


async def test_the_area_screen_answers_keys_while_forty_phones_vote(
        loopback: list[Any], data_dir: Path) -> None:
    from kit.app import WorkshopApp
    from kit.screens.area import AreaScreen

    class App(_Shown, WorkshopApp):
        pass

    with Store(data_dir) as setup:
        session_id = setup.create_session(DECK, groups=["A", "B"])
        setup.session(session_id).record_step("area", AREA.id)
    store = Store(data_dir)
    app = App(store=store, session_id=session_id)
    app.shown = asyncio.Event()
    idle: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):
            if isinstance(app.screen, AreaScreen) and app.screen.is_mounted:
                break
            await pilot.pause(0.01)
        assert isinstance(app.screen, AreaScreen)
        await pilot.pause(0.3)
        handle = app.session  # the app's own session handle: one store, one event loop
        phone_round = PhoneRound(handle, AREA.id)
        server = RoomServer(phone_round, lang="fi")  # in the app's loop, as the room screen
        url = await server.start("127.0.0.1", 0)
        try:
            count = lambda: app.snapshot().entry_count  # noqa: E731
            for n in range(30):
                idle.append(await press(app, count, "12"[n % 2]))
                await asyncio.sleep(0.02)

            # The phones are other devices: their side runs in a thread with its own loop.
            # The first burst is the forty phones; the same forty again, in the same round,
            # give the key presses enough bursts to be timed during.
            ballots = forty_ballots(handle.snapshot.meta.dots)
            outcome: dict[str, Any] = {"bursts": []}
            done = threading.Event()

            async def all_bursts() -> None:
                for _ in range(BURSTS):
                    outcome["bursts"].append(await burst(url, ballots))
                    await asyncio.sleep(0.05)

            def phones() -> None:
                try:
                    asyncio.run(all_bursts())
                except BaseException as error:  # reported below, in the test
                    outcome["error"] = error
                finally:
                    done.set()

            thread = threading.Thread(target=phones, daemon=True)
            thread.start()
            pressed: list[tuple[float, float]] = []
            while not done.is_set() and len(pressed) < 2000:
                started = time.perf_counter()
                took = await press(app, count, "12"[len(pressed) % 2])
                pressed.append((started, took))
            thread.join(60)
            assert "error" not in outcome, outcome.get("error")
            bursts: list[Burst] = outcome["bursts"]
            assert len(bursts) == BURSTS
            first = bursts[0]
            check_answers(first.answers)
            for n, later in enumerate(bursts[1:], 1):
                check_answers(later.answers, n * PHONES)
            assert phone_round.count == PHONES * BURSTS
            check_totals(phone_round, ballots, BURSTS)
            # A press is "during" a burst if the time it took overlaps the burst's.
            during = [took for started, took in pressed
                      if any(started < b.ended and started + took > b.started for b in bursts)]
        finally:
            await server.stop()
    store.close()
    print(f"\nkeys while 40 phones vote: idle p95 {p95(idle) * 1000:.0f} ms (n={len(idle)}), "
          f"during p95 {p95(during) * 1000:.0f} ms, max {max(during) * 1000:.0f} ms "
          f"(n={len(during)}); first burst {first.total * 1000:.0f} ms, reply p95 "
          f"{p95(first.replies) * 1000:.0f} ms; all {BURSTS} bursts: reply p95 "
          f"{p95([r for b in bursts for r in b.replies]) * 1000:.0f} ms")
    assert len(during) >= 5, "too few keys were pressed during the bursts"
    # p95, not the maximum: one press held up by a neighbour on a shared CI machine is not
    # the room's doing (a press waits for at most the ballots queued before it, ~1 ms each).
    assert p95(during) < KEY_LIMIT
