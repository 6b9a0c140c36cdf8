"""Voting slips: paper codes for a strict phone vote.

Codes are random and well-formed; the store keeps only salted hashes; a round with slips
counts each slip once per area and nothing else (no tokens, no unknown or spent slips); and
nothing stored links a slip to its ballot: the bytes on disk are the same whatever order the
ballots came in and whichever slip carried which ballot. A ballot answered "counted" survives
a power cut, and its slip stays spent.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from room_helpers import LOOPBACK, ROOT
from room_helpers import room_process as shared_room_process
from yarl import URL

from kit.deck import load_deck
from kit.errors import KitError
from kit.room import server as room_server
from kit.room.round import CODE_ALPHABET, PhoneRound, Sent
from kit.room.server import RoomServer, WrongCodes
from kit.room.slips import (
    MAX_SLIPS,
    SLIP_LENGTH,
    UNSPENT,
    SlipState,
    format_slip,
    normalise_slip,
    slip_hash,
    slip_url,
)
from kit.store import DB_NAME, SessionHandle, Store

DECK = load_deck()
AREA = DECK.areas[1]
OTHER = DECK.areas[2]
P = [p.id for p in AREA.practices]
L = [level.id for level in DECK.scale]
SLIP = re.compile(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}")


def _handle(folder: Path) -> SessionHandle:
    store = Store(folder)
    return store.session(store.create_session(DECK))


def _send(n: int | str) -> str:
    """A page's own id of one ballot (the page makes a random one)."""
    return f"page-{n}-".ljust(24, "x")


def _ballots(n: int) -> list[tuple[dict[str, str], dict[str, int]]]:
    return [({P[i % len(P)]: L[i % len(L)], P[(i + 1) % len(P)]: L[(i * 3) % len(L)]},
             {P[(i * 2) % len(P)]: 1 + i % 2}) for i in range(n)]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- codes -----------------------------------------------------------------------------------


def test_codes_are_unique_well_formed_and_hopeless_to_guess(tmp_path: Path) -> None:
    handle = _handle(tmp_path)
    codes = handle.make_slips(MAX_SLIPS, None, "192.168.8.20", 8765)
    codes += handle.make_slips(300, AREA.id, "192.168.8.20", 8765)
    assert len(codes) == len(set(codes)) == MAX_SLIPS + 300
    for code in codes:
        assert len(code) == SLIP_LENGTH and set(code) <= set(CODE_ALPHABET)
        assert SLIP.fullmatch(format_slip(code))
    # 37 bits; at 20 wrong codes a minute (then 30 s with nothing checked) a guesser tries
    # at most 2,400 an hour: against 1,300 slips, one hit in about 50,000 hours.
    assert SLIP_LENGTH * math.log2(len(CODE_ALPHABET)) > 37
    guesses_an_hour = 20 * 2 * 60
    assert guesses_an_hour * len(codes) / len(CODE_ALPHABET) ** SLIP_LENGTH < 1 / 40_000
    # Every character used: the codes are not from a smaller set than the alphabet.
    assert set("".join(codes)) == set(CODE_ALPHABET)


def test_a_code_is_read_as_people_type_it() -> None:
    assert normalise_slip("abcd-efgh") is None  # B is not in the alphabet
    assert normalise_slip("acde-fghj") == "ACDEFGHJ"
    assert normalise_slip(" ACDE FGHJ ") == "ACDEFGHJ"
    assert normalise_slip("ACDE\u2013FGHJ") == "ACDEFGHJ"  # an en dash from a phone keyboard
    for bad in ("ACDE-FGH", "ACDE-FGHJK", "ACDE-FGH0", "ACDE-FGHO", "", None, 7, "A" * 400):
        assert normalise_slip(bad) is None, bad


def test_only_salted_hashes_are_stored(tmp_path: Path) -> None:
    one, two = _handle(tmp_path / "one"), _handle(tmp_path / "two")
    codes = one.make_slips(50, None, "192.168.8.20", 8765)
    codes += one.make_slips(10, AREA.id, "192.168.8.20", 8765)
    two.make_slips(5, None, "10.0.0.7", 8000)
    db = one.store._db
    rows = db.execute("SELECT hash, area_id, spent FROM slips WHERE session_id = ?",
                      (one.id,)).fetchall()
    assert len(rows) == 50 * len(DECK.areas) + 10
    salt = bytes(db.execute("SELECT salt FROM slip_sets").fetchone()[0])
    assert len(salt) == 16
    hashes = {bytes(h) for h, _area, _spent in rows}
    assert hashes == {slip_hash(salt, code) for code in codes}
    assert all(bytes(spent) == UNSPENT for _h, _area, spent in rows)
    # A salt of its own for each session: the same code would hash differently elsewhere.
    other_salt = two.store._db.execute("SELECT salt FROM slip_sets").fetchone()[0]
    assert bytes(other_salt) != salt
    assert hashlib.sha256(codes[0].encode()).digest() not in hashes  # not unsalted
    one.store.close()
    two.store.close()
    for name, content in _files(tmp_path).items():
        for code in codes:
            for spelling in (code, format_slip(code), code.lower(), format_slip(code).lower()):
                assert spelling.encode() not in content, (name, spelling)
                assert spelling.encode("utf-16-le") not in content, (name, spelling)


def test_making_slips_refuses_bad_counts_areas_and_addresses(tmp_path: Path) -> None:
    handle = _handle(tmp_path)
    for count in (0, -1, MAX_SLIPS + 1, True, 2.0):
        with pytest.raises(KitError) as error:
            handle.make_slips(count, None, "192.168.8.20", 8765)  # type: ignore[arg-type]
        assert error.value.key == "slips.bad_count"
    with pytest.raises(KitError) as error:
        handle.make_slips(5, "no-such-area", "192.168.8.20", 8765)
    assert error.value.key == "session.area_not_in_session"
    for host in ("laptop.local", "192.168.8", ""):
        with pytest.raises(KitError) as error:
            handle.make_slips(5, None, host, 8765)
        assert error.value.key == "slips.bad_address"
    for port in (0, 70000):
        with pytest.raises(KitError) as error:
            handle.make_slips(5, None, "192.168.8.20", port)
        assert error.value.key == "slips.bad_port"
    assert handle.store._db.execute("SELECT count(*) FROM slips").fetchone()[0] == 0
    assert handle.slip_address() is None


# --- a round with slips ----------------------------------------------------------------------


def test_a_slips_round_counts_each_slip_once_and_nothing_else(tmp_path: Path) -> None:
    handle = _handle(tmp_path)
    codes = handle.make_slips(4, None, "192.168.8.20", 8765)
    (only_other,) = handle.make_slips(1, OTHER.id, "192.168.8.20", 8765)
    room = PhoneRound(handle, AREA.id, slips=True)
    assert room.slips and room.slips_left() == 4
    first = {P[0]: L[0]}
    assert room.slip_state(format_slip(codes[0]).lower()) is SlipState.GOOD
    assert room.check_slip(codes[0]) == format_slip(codes[0])
    assert room.cast_slip(format_slip(codes[0]), _send("a"), first, {P[1]: 2}) is Sent.COUNTED
    # The same page again (its reply was lost): nothing counted now.
    assert room.cast_slip(codes[0].lower(), _send("a"), {P[0]: L[2]}, {}) is Sent.ALREADY
    assert room.slip_state(codes[0]) is SlipState.SPENT
    refusals = [
        (codes[0], _send("b"), "room.slip_spent"),  # someone else with a copy of the slip
        ("ACDE-FGHJ", _send("c"), "room.wrong_slip"),  # a slip nobody printed
        ("ACDE-FGH", _send("c"), "room.wrong_slip"),  # not even a slip code
        (only_other, _send("d"), "room.slip_other_area"),
        (codes[1], "short", "room.bad_request"),  # a page's id must be a real random one
        (codes[1], None, "room.bad_request"),
    ]
    for slip, send, key in refusals:
        with pytest.raises(KitError) as error:
            room.cast_slip(slip, send, {P[0]: L[1]}, {})
        assert error.value.key == key, slip
    for call in (room.issue_token, lambda: room.cast("a-token", first, {})):  # no tokens here
        with pytest.raises(KitError) as error:
            call()
        assert error.value.key == "room.needs_slip"
    with pytest.raises(KitError) as error:
        room.check_slip(codes[0])
    assert error.value.key == "room.slip_spent"
    # A blank ballot or a refused one leaves the slip good.
    assert room.cast_slip(codes[1], _send("e"), {}, {}) is Sent.BLANK
    with pytest.raises(KitError):
        room.cast_slip(codes[1], _send("e"), {P[0]: "no-such-level"}, {})
    assert room.slip_state(codes[1]) is SlipState.GOOD
    assert room.cast_slip(codes[1], _send("e"), {P[0]: L[1]}, {}) is Sent.COUNTED
    assert room.count == 2 and room.slips_left() == 2
    assert handle.snapshot.ballot_totals(AREA.id).ballots == 0  # unseen while open
    assert room.close() == 2
    totals = handle.snapshot.ballot_totals(AREA.id)
    assert totals.ratings == {(P[0], L[0]): 1, (P[0], L[1]): 1} and totals.dots == {P[1]: 2}
    # A slip votes once in each area: the next area's round takes it again.
    other = PhoneRound(handle, OTHER.id, slips=True)
    q = OTHER.practices[0].id
    assert other.cast_slip(codes[0], _send("a"), {q: L[0]}, {}) is Sent.COUNTED
    assert other.cast_slip(only_other, _send("f"), {q: L[1]}, {}) is Sent.COUNTED
    assert other.close() == 2


def test_a_round_with_slips_needs_slips_and_stays_strict(tmp_path: Path) -> None:
    handle = _handle(tmp_path)
    with pytest.raises(KitError) as error:
        PhoneRound(handle, AREA.id, slips=True)
    assert error.value.key == "room.no_slips"
    assert handle.open_rounds() == []  # nothing was opened
    handle.make_slips(2, OTHER.id, "192.168.8.20", 8765)
    with pytest.raises(KitError):
        PhoneRound(handle, AREA.id, slips=True)  # those are for another area
    (code,) = handle.make_slips(1, AREA.id, "192.168.8.20", 8765)
    PhoneRound(handle, AREA.id, slips=True)
    handle.store.close()
    # The laptop restarts and the round is opened again without asking for slips: still
    # slips only, so a strict vote cannot quietly become an open one.
    again = Store(tmp_path).session(handle.id)
    room = PhoneRound(again, AREA.id)
    assert room.slips
    with pytest.raises(KitError):
        room.issue_token()
    assert room.cast_slip(code, _send(1), {P[0]: L[0]}, {}) is Sent.COUNTED
    assert room.close() == 1
    plain = PhoneRound(again, AREA.id)  # a new round: as it is asked for
    assert not plain.slips and plain.issue_token()
    with pytest.raises(KitError) as error:
        plain.cast_slip(code, _send(1), {P[0]: L[0]}, {})
    assert error.value.key == "room.no_slips_round"
    plain.close()


def test_deleting_a_session_deletes_its_slips(tmp_path: Path) -> None:
    handle = _handle(tmp_path)
    handle.make_slips(3, None, "192.168.8.20", 8765)
    PhoneRound(handle, AREA.id, slips=True)
    handle.store.delete_session(handle.id)
    db = handle.store._db
    for table in ("slips", "slip_sets", "slip_rounds"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


# --- privacy ---------------------------------------------------------------------------------


def test_nothing_stored_links_a_slip_to_its_ballot(tmp_path: Path) -> None:
    """The same ballots with the same slips, in two orders and paired two ways: the data
    folders end up byte for byte the same, so nothing in them can say which slip carried
    which ballot, or which slip voted first."""
    base = tmp_path / "base"
    handle = _handle(base)
    codes = handle.make_slips(8, None, "192.168.8.20", 8765)
    PhoneRound(handle, AREA.id, slips=True)  # open, with its join code, before the copies
    session = handle.id
    handle.store.close()
    ballots = _ballots(6)
    used = codes[:6]
    pairings = {
        "a": list(zip(used, ballots, strict=True)),
        "b": list(zip(used, ballots, strict=True))[::-1],  # the other way round
        "c": list(zip(used[::-1], ballots, strict=True)),  # each slip with another ballot
        "d": list(zip(used[2:] + used[:2], ballots[::-1], strict=True)),
    }
    # A control: one slip spent by another page. Its mark differs, so the comparison below
    # does see the slips' rows (and would see anything else that differed).
    pairings["control"] = pairings["a"]
    results = {}
    for name, pairs in pairings.items():
        folder = tmp_path / name
        shutil.copytree(base, folder)
        store = Store(folder)
        room = PhoneRound(store.session(session), AREA.id)
        assert room.slips
        for code, (ratings, dots) in pairs:
            # The page's id belongs to the page, and a page holds its slip: one each.
            send = _send("another page") if name == "control" and code == used[3] else code
            assert room.cast_slip(code, _send(send), ratings, dots) is Sent.COUNTED
            assert not (folder / f"{DB_NAME}-wal").exists() or not (
                folder / f"{DB_NAME}-wal").stat().st_size  # no ballot waits in the WAL
        store.close()
        results[name] = _files(folder)
    assert results["a"] == results["b"] == results["c"] == results["d"]
    assert results["control"][DB_NAME] != results["a"][DB_NAME]
    # ...and after closing, the round's ballots in the area's totals: still the same.
    closed = {}
    for name in ("a", "c"):
        store = Store(tmp_path / name)
        room = PhoneRound(store.session(session), AREA.id)
        assert room.close() == 6
        store.close()
        closed[name] = _files(tmp_path / name)
    assert closed["a"] == closed["c"]
    # The only thing a slip's row says is that it has voted (as a register of who came
    # would); the tables hold no time, no order and nothing of a ballot.
    db = sqlite3.connect(tmp_path / "a" / DB_NAME)
    columns = {table: [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
               for table in ("slips", "slip_sets", "slip_rounds")}
    assert columns == {"slips": ["session_id", "hash", "area_id", "spent"],
                       "slip_sets": ["session_id", "salt", "host", "port"],
                       "slip_rounds": ["session_id", "area_id"]}
    spent = [bytes(s) for (s,) in db.execute("SELECT spent FROM slips WHERE area_id = ?",
                                             (AREA.id,))]
    assert sum(s != UNSPENT for s in spent) == 6 and all(len(s) == 32 for s in spent)
    db.close()


# --- the web: a slip's address, the check, ballots, guessing ---------------------------------


class Web:
    def __init__(self, handle: SessionHandle, room: PhoneRound, server: RoomServer, url: str,
                 http: aiohttp.ClientSession, codes: list[str]) -> None:
        self.handle, self.round, self.server, self.url = handle, room, server, url
        self.http, self.codes = http, codes
        self.base = url.rsplit("/", 1)[0]

    async def post(self, path: str, body: Any) -> tuple[int, Any]:
        async with self.http.post(f"{self.url}/{path}", json=body) as reply:
            return reply.status, await reply.json()

    async def ballot(self, slip: str, send: str, ratings: dict[str, str] | None = None,
                     ) -> tuple[int, Any]:
        return await self.post("api/ballot", {"slip": slip, "send": send,
                                              "ratings": ratings or {P[0]: L[0]}, "dots": {}})


@pytest.fixture
async def web(loopback: list[Any], data_dir: Path) -> AsyncIterator[Web]:
    store = Store(data_dir)
    handle = store.session(store.create_session(DECK))
    codes = handle.make_slips(5, None, "127.0.0.1", 8765)
    room = PhoneRound(handle, AREA.id, slips=True)
    server = RoomServer(room, lang="fi")
    now = [1000.0]
    server.app[room_server.WRONG_SLIPS] = WrongCodes(clock=lambda: now[0])
    url = await server.start("127.0.0.1", 0)
    http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20))
    running = Web(handle, room, server, url, http, codes)
    running.now = now  # type: ignore[attr-defined]
    try:
        yield running
    finally:
        await http.close()
        await server.stop()
        store.close()


async def test_a_slips_address_opens_the_rounds_page_with_the_code(web: Web) -> None:
    code = web.codes[0]
    for spelling in (format_slip(code), code.lower(), format_slip(code) + "/"):
        async with web.http.get(f"{web.base}/{spelling}", allow_redirects=False) as reply:
            assert reply.status == 302, spelling
            assert reply.headers["Location"] == f"/{web.round.code}/?s={format_slip(code)}"
            assert reply.headers["Cache-Control"] == "no-store"
            assert reply.headers["Referrer-Policy"] == "no-referrer"
    async with web.http.get(f"{web.base}/{format_slip(code)}") as reply:
        assert reply.status == 200 and reply.url.path == f"/{web.round.code}/"
        assert reply.url.query["s"] == format_slip(code)
    async with web.http.get(f"{web.base}/{format_slip(code)}/api/round") as reply:
        assert reply.status == 404  # only the address itself
    async with web.http.get(f"{web.base}/ACDE-FGHJ") as reply:
        assert reply.status == 404 and "Lipukkeen koodia ei löydy" in await reply.text()
    async with web.http.get(f"{web.url}/api/round") as reply:
        assert (await reply.json())["slips"] is True


async def test_ballots_with_slips_over_the_web(web: Web) -> None:
    a, b = web.codes[0], web.codes[1]
    assert await web.post("api/slip", {"slip": a.lower()}) == (
        200, {"status": "good", "slip": format_slip(a)})
    assert await web.ballot(format_slip(a), _send("a")) == (200, {"status": "counted",
                                                                 "count": 1})
    assert await web.ballot(a, _send("a")) == (200, {"status": "already", "count": 1})
    status, body = await web.ballot(a, _send("z"))  # a copy of the slip, another phone
    assert (status, body["error"]) == (409, "slip_spent") and "status" not in body
    assert set(body["message"]) == {"fi", "en"}
    status, body = await web.post("api/slip", {"slip": a})
    assert (status, body["error"]) == (409, "slip_spent")
    status, body = await web.ballot("ACDE-FGHJ", _send("y"))
    assert (status, body["error"]) == (403, "wrong_slip")
    async with web.http.post(f"{web.url}/api/token") as reply:
        assert reply.status == 403 and (await reply.json())["error"] == "needs_slip"
    status, body = await web.post("api/ballot", {"token": "t" * 24, "ratings": {P[0]: L[0]},
                                                 "dots": {}})
    assert (status, body["error"]) == (403, "needs_slip")
    for bad in ({"slip": b, "ratings": {}, "dots": {}},  # no page id
                {"slip": b, "send": _send(1), "token": "x", "ratings": {}, "dots": {}},
                {"slip": 7, "send": _send(1), "ratings": {}, "dots": {}},
                {"slip": b, "send": _send(1), "ratings": {P[0]: L[0]}, "dots": {}, "x": 1}):
        status, body = await web.post("api/ballot", bad)
        assert (status, body["error"]) == (400, "bad_request"), bad
    for bad_check in ({"slip": b, "x": 1}, {"slip": None}, {}):
        status, body = await web.post("api/slip", bad_check)
        assert (status, body["error"]) == (400, "bad_request"), bad_check
    status, body = await web.ballot(b, _send("b"), {"no-such": L[0]})
    assert status == 400 and web.round.slip_state(b) is SlipState.GOOD
    assert web.round.count == 1
    web.round.close()
    status, body = await web.ballot(b, _send("b"))
    assert (status, body["error"]) == (410, "round_closed")


async def test_wrong_slips_lock_out_every_slip_for_30_seconds(web: Web) -> None:
    now: list[float] = web.now  # type: ignore[attr-defined]
    right = web.codes[2]
    wrong = [c for c in (f"ACDE{a}{b}{c}{d}" for a in "FGH" for b in "JKM" for c in "NPQ"
                         for d in "RTU") if c not in web.codes]
    for n in range(20):
        status, body = await web.post("api/slip", {"slip": wrong[n]})
        assert (status, body["error"]) == (403, "wrong_slip")
    for _ in range(20):  # a typo of the wrong length cannot be right: it is not counted
        assert (await web.post("api/slip", {"slip": "ACDE-FG"}))[0] == 403
    status, body = await web.ballot(wrong[20], _send("w"))
    assert (status, body["error"]) == (429, "too_many_tries")  # the 21st in the minute
    # Locked: nothing is checked, so a guess that happens to be right tells nothing either.
    status, body = await web.post("api/slip", {"slip": right})
    assert (status, body["error"]) == (429, "too_many_tries")
    assert (await web.ballot(right, _send("r")))[0] == 429
    async with web.http.get(f"{web.base}/{format_slip(right)}", allow_redirects=False) as reply:
        assert reply.status == 429
    assert web.round.slip_state(right) is SlipState.GOOD and web.round.count == 0
    async with web.http.get(f"{web.url}/api/round") as reply:
        assert reply.status == 200  # the room goes on
    now[0] += 31
    assert (await web.ballot(right, _send("r")))[0] == 200
    assert (await web.post("api/slip", {"slip": wrong[21]}))[0] == 403


# --- a power cut -----------------------------------------------------------------------------


@asynccontextmanager
async def room_process(data_dir: Path, *args: str, where: tuple[str, ...] = LOOPBACK
                       ) -> AsyncIterator[tuple[Any, str, str]]:
    """`tyopaja room` running: the process, the join address it printed, its base."""
    async with shared_room_process(data_dir, *args, where=where) as (process, url):
        yield process, url, url.rsplit("/", 1)[0]


async def test_a_counted_slip_ballot_survives_a_power_cut_and_its_slip_stays_spent(
        loopback: list[Any], data_dir: Path) -> None:
    with Store(data_dir) as store:
        session = store.create_session(DECK)
        codes = store.session(session).make_slips(4, AREA.id, "127.0.0.1", 8765)
    ballot = {"ratings": {P[0]: L[1], P[2]: L[0]}, "dots": {P[1]: 2}}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
        async with room_process(data_dir, session, "--area", AREA.id, "--slips") as (
                process, url, base):
            async with http.get(f"{base}/{format_slip(codes[0])}",
                                allow_redirects=False) as reply:
                assert reply.status == 302
                assert reply.headers["Location"] == (
                    f"{URL(url).path}/?s={format_slip(codes[0])}")
            async with http.post(f"{url}/api/ballot", json={
                    "slip": format_slip(codes[0]), "send": _send("a"), **ballot}) as reply:
                assert (reply.status, await reply.json()) == (
                    200, {"status": "counted", "count": 1})
            process.kill()  # SIGKILL: the power goes, nothing is closed
            await process.wait()
        with Store(data_dir) as store:
            handle = store.session(session)
            assert handle.round_count(AREA.id) == 1 and handle.slip_round(AREA.id)
            assert handle.slip_state(AREA.id, codes[0]) is SlipState.SPENT
            assert handle.slip_counts(AREA.id) == (4, 3)
        for content in _files(data_dir).values():
            assert format_slip(codes[0]).encode() not in content
            assert codes[0].encode() not in content

        # The room again, without --slips: the round left open stays a round with slips.
        async with room_process(data_dir, session, "--area", AREA.id) as (process, url, _):
            body = {"slip": codes[0], "send": _send("a"), **ballot}
            async with http.post(f"{url}/api/ballot", json=body) as reply:
                # The same page sends again (it never heard back): already counted.
                assert (reply.status, await reply.json()) == (
                    200, {"status": "already", "count": 1})
            async with http.post(f"{url}/api/ballot", json={**body, "send": _send("b")}) as reply:
                assert reply.status == 409 and (await reply.json())["error"] == "slip_spent"
            async with http.post(f"{url}/api/token") as reply:
                assert reply.status == 403
            async with http.post(f"{url}/api/ballot", json={
                    "slip": codes[1], "send": _send("c"), **ballot}) as reply:
                assert (await reply.json())["status"] == "counted"
            process.send_signal(signal.SIGINT)
            out, err = await asyncio.wait_for(process.communicate(), 30)
            assert process.returncode == 0, err.decode()
    assert "Äänestys lipukkeilla: 3 lipuketta käyttämättä (4 tulostettu)" in err.decode()
    # Printed for port 8765, served on another: the facilitator hears the QR codes won't do.
    assert ("Lipukkeiden QR-koodit avaavat osoitteen http://127.0.0.1:8765, mutta äänestys "
            "on osoitteessa http://127.0.0.1:") in err.decode()
    assert out.decode() == "2 lipuketta lisätty osa-alueen tuloksiin\n"
    with Store(data_dir) as store:
        handle = store.session(session)
        totals = handle.snapshot.ballot_totals(AREA.id)
        assert handle.open_rounds() == [] and not handle.slip_round(AREA.id)
        assert handle.slip_state(AREA.id, codes[0]) is SlipState.SPENT
    assert totals.ballots == 2 and totals.dots == {P[1]: 4}
    assert totals.ratings == {(P[0], L[1]): 2, (P[2], L[0]): 2}


async def test_a_round_with_slips_is_served_where_the_slips_point(
        loopback: list[Any], data_dir: Path) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # free again: the room takes it
    with Store(data_dir) as store:
        session = store.create_session(DECK)
        (code,) = store.session(session).make_slips(1, None, "127.0.0.1", port)
    async with room_process(data_dir, session, "--slips", where=()) as (process, _url, base):
        assert base == f"http://127.0.0.1:{port}"  # no --bind, no --port: the slips' own
        async with aiohttp.ClientSession() as http, http.get(
                slip_url("127.0.0.1", port, code)) as reply:
            assert reply.status == 200 and reply.url.query["s"] == format_slip(code)
        process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0
    assert "Äänestys lipukkeilla: 1 lipuke käyttämättä (1 tulostettu)" in err.decode()
    assert "eivät toimi" not in err.decode()


# --- the commands ----------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_slips_command_prints_and_keeps_only_hashes(data_dir: Path, tmp_path: Path) -> None:
    with Store(data_dir) as store:
        session = store.create_session(DECK)
    out = tmp_path / "lipukkeet.pdf"
    result = run("--data-dir", str(data_dir), "slips", session, "-n", "7", "-o", str(out),
                 "--bind", "192.168.8.20", "--port", "8765")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Tallennettiin tiedostoon {out}\n"
    assert (f"Lipukkeiden QR-koodit avaavat osoitteen http://192.168.8.20:8765. Avaa äänestys "
            f"työpajassa samassa osoitteessa: tyopaja room {session} --slips") in result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    with Store(data_dir) as store:
        handle = store.session(session)
        assert handle.slip_address() == ("192.168.8.20", 8765)
        assert handle.slip_counts(AREA.id) == (7, 7)
    loop = run("--data-dir", str(data_dir), "--lang", "en", "slips", session, "-n", "1",
               "-o", str(tmp_path / "x.pdf"), "--bind", "127.0.0.1")
    assert loop.returncode == 0 and "works on this computer only" in loop.stderr
    for bad, words in ((["-n", "0"], "1–1000"), (["-n", "3", "--bind", "laptop"], "IP"),
                       (["-n", "3", "--port", "0"], "1–65535"),
                       (["-n", "3", "--area", "no-such"], "no-such")):
        result = run("--data-dir", str(data_dir), "slips", session, "-o",
                     str(tmp_path / "bad.pdf"), *bad)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, bad
        assert words in result.stderr, (bad, result.stderr)
    assert not (tmp_path / "bad.pdf").exists()


def test_room_with_slips_refuses_an_area_without_them(data_dir: Path) -> None:
    with Store(data_dir) as store:
        session = store.create_session(DECK)
    result = run("--data-dir", str(data_dir), "room", session, "--slips", "--bind",
                 "127.0.0.1", "--port", "0")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "tyopaja: tälle osa-alueelle ei ole tulostettu äänestyslipukkeita: tee ne ensin "
        "(tyopaja slips)"]
    with Store(data_dir) as store:
        assert store.session(session).open_rounds() == []


def test_a_slip_url_is_the_rooms_address_and_the_code() -> None:
    assert slip_url("192.168.8.20", 8765, "ACDEFGHJ") == "http://192.168.8.20:8765/ACDE-FGHJ"
    assert slip_url("fe80::1", 8765, "ACDEFGHJ") == "http://[fe80::1]:8765/ACDE-FGHJ"
