"""Forty phones sending their ballots at once, from a process of their own.

    python bench/phones.py URL CYCLES [PHONES]

The benchmark's `room-burst` child (bench/children.py) starts this once the phone room serves
`URL` (the join address, `http://127.0.0.1:PORT/CODE`: loopback only, nothing else is ever
asked). The phones are other devices, so their side runs in another process (on another core
where there is one): a thread in the laptop's process would charge the phones' own HTTP work
and their share of the interpreter's lock to the laptop's key presses.

First it reads the round (`GET api/round`) as the page does, and makes PHONES (40) different
valid ballots from its practices, levels and dots. Then, CYCLES times:

- a quiet spell (`QUIET` seconds: nothing is sent, so the app's key presses are timed idle);
- one phone alone: its own connection and token, then its ballot, timed from the request to
  the reply (the baseline: the same server, the same run);
- another quiet spell;
- forty phones: each its own connection and token, then all forty ballots at once; the time
  from the first request to the last reply, and each reply's time.

The two go in turn the other way round every other cycle (as bench/run.py's `interleaved`).
Every reply must be 200 "counted", each ballot counted once (the counts it is told are all
different), or this exits non-zero. Prints one JSON line: `ready` and `done` (when the first
cycle began and the last ended), and per cycle when each phone activity began and ended
(`busy`), the lone phone's `reply`, and the forty's `started`, `ended` and `replies`.

Times are `time.perf_counter()`, which is one clock for the whole machine on Linux, macOS and
Windows, so the laptop's process can lay its key presses beside these.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import aiohttp

PHONES = 40
QUIET = 0.15  # seconds of nothing sent before each phone activity
TIMEOUT = aiohttp.ClientTimeout(total=30)


def ballots_for(round_info: dict[str, Any], phones: int = PHONES) -> list[dict[str, Any]]:
    """`phones` different valid ballots: which practices are rated follows the bits of n, at
    a level that moves with n; the dots go round the practices (as tests/test_room_load.py
    makes its forty)."""
    practices = [p["id"] for p in round_info["practices"]]
    levels = [level["id"] for level in round_info["levels"]]
    dots = int(round_info["dots"])
    ballots = []
    for n in range(phones):
        rated = [p for j, p in enumerate(practices) if (n + 1) >> j & 1] or practices[:1]
        ratings = {p: levels[(n + j) % len(levels)] for j, p in enumerate(rated)}
        given = {practices[n % len(practices)]: 1 + n % dots} if dots and n % 5 else {}
        ballots.append({"ratings": ratings, "dots": given})
    if len({json.dumps(b, sort_keys=True) for b in ballots}) != phones:
        raise SystemExit("the ballots are not all different")
    return ballots


async def _token(http: aiohttp.ClientSession, url: str) -> str:
    async with http.post(f"{url}/api/token") as reply:
        if reply.status != 200:
            raise SystemExit(f"token: {reply.status} {await reply.text()}")
        return str((await reply.json())["token"])


async def _send(http: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> tuple[
        float, int]:
    """One ballot: seconds to its reply, and the count the reply gave."""
    started = time.perf_counter()
    async with http.post(f"{url}/api/ballot", json=body) as reply:
        answer = await reply.json()
        took = time.perf_counter() - started
    if reply.status != 200 or answer.get("status") != "counted":
        raise SystemExit(f"ballot: {reply.status} {answer}")
    return took, int(answer["count"])


async def phones_at_once(url: str, ballots: list[dict[str, Any]]) -> dict[str, Any]:
    """Each phone its own connection and token; then all their ballots at once."""
    busy = time.perf_counter()
    sessions = [aiohttp.ClientSession(timeout=TIMEOUT) for _ in ballots]
    try:
        tokens = await asyncio.gather(*(_token(http, url) for http in sessions))
        started = time.perf_counter()
        results = await asyncio.gather(*(
            _send(http, url, {"token": token, **ballot})
            for http, token, ballot in zip(sessions, tokens, ballots, strict=True)))
        ended = time.perf_counter()
    finally:
        await asyncio.gather(*(http.close() for http in sessions))
    # Ballots that arrive together are committed together, so replies in one batch carry the
    # same count; every reply said "counted" (`_send`), and the round's total at closing is
    # checked against the ballots sent (tests/test_bench.py).
    counts = sorted(count for _took, count in results)
    if counts[-1] - counts[0] >= len(ballots) or counts[0] < 1:
        raise SystemExit(f"the counts do not fit one burst: {counts}")
    return {"busy": [busy, time.perf_counter()], "started": started, "ended": ended,
            "replies": [took for took, _count in results]}


async def run(url: str, cycles: int, phones: int = PHONES) -> dict[str, Any]:
    async with (aiohttp.ClientSession(timeout=TIMEOUT) as http,
                http.get(f"{url}/api/round") as reply):
        if reply.status != 200:
            raise SystemExit(f"round: {reply.status}")
        ballots = ballots_for(await reply.json(), phones)
    ready = time.perf_counter()
    out: list[dict[str, Any]] = []
    for cycle in range(cycles):
        lone = [ballots[cycle % phones]]
        done: dict[str, Any] = {}
        for kind in ("alone", "forty") if cycle % 2 == 0 else ("forty", "alone"):
            await asyncio.sleep(QUIET)
            done[kind] = await phones_at_once(url, lone if kind == "alone" else ballots)
        done["alone"]["reply"] = done["alone"].pop("replies")[0]
        out.append(done)
    await asyncio.sleep(QUIET)
    return {"ready": ready, "done": time.perf_counter(), "cycles": out}


def main(argv: list[str]) -> None:
    url, cycles = argv[0], int(argv[1])
    phones = int(argv[2]) if len(argv) > 2 else PHONES
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit(f"loopback only: {url}")
    print(json.dumps(asyncio.run(run(url, cycles, phones))), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
