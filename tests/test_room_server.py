"""The phone room's web server against real HTTP on 127.0.0.1: the API of docs/room.md, its
limits, hostile input, and that it keeps nothing about anyone.

The network guard of conftest.py is lifted for loopback only (`loopback`): every address a
test connects to is checked to be 127.0.0.1, and name lookups stay refused.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.deck import load_deck
from kit.errors import KitError
from kit.room import server as room_server
from kit.room.round import CODE_ALPHABET, PhoneRound
from kit.room.server import CSP, RoomServer, WrongCodes, code_shaped
from kit.store import DB_NAME, SessionHandle, Store

DECK = load_deck()
AREA = DECK.areas[0]
P = [p.id for p in AREA.practices]
L = [level.id for level in DECK.scale]
SECRET = b"the secret outside the static folder"


@dataclass
class Room:
    store: Store
    handle: SessionHandle
    round: PhoneRound
    server: RoomServer
    url: str
    http: aiohttp.ClientSession
    tokens: list[str] = field(default_factory=list)
    # What the round must hold: the ballots answered "counted", added up.
    ratings: Counter[tuple[str, str]] = field(default_factory=Counter)
    dots: Counter[str] = field(default_factory=Counter)

    @property
    def base(self) -> str:
        return self.url.rsplit("/", 1)[0]

    async def token(self) -> str:
        async with self.http.post(f"{self.url}/api/token") as reply:
            assert reply.status == 200, await reply.text()
            value = (await reply.json())["token"]
        self.tokens.append(value)
        return str(value)

    async def send(self, body: Any, raw: bool = False) -> tuple[int, Any]:
        data = body if raw else json.dumps(body, ensure_ascii=False).encode()
        async with self.http.post(f"{self.url}/api/ballot", data=data,
                                  headers={"Content-Type": "application/json"}) as reply:
            text = await reply.read()
            try:
                return reply.status, json.loads(text)
            except ValueError:
                return reply.status, text


def make_static(folder: Path) -> Path:
    """A static folder of our own (the real page is someone else's work), with a secret
    beside it and a link pointing out of it."""
    static = folder / "static"
    static.mkdir(parents=True)
    (static / "index.html").write_text("<!DOCTYPE html><title>sivu</title>", "utf-8")
    (static / "room.js").write_text("var ok = 1;", "utf-8")
    (static / "room.css").write_text("body { margin: 0 }", "utf-8")
    (static / ".hidden").write_text("no", "utf-8")
    (static / "sub").mkdir()
    (folder / "secret.txt").write_bytes(SECRET)
    (static / "link.txt").symlink_to(folder / "secret.txt")
    return static


@pytest.fixture
async def room(loopback: list[Any], data_dir: Path, tmp_path: Path) -> AsyncIterator[Room]:
    store = Store(data_dir)
    handle = store.session(store.create_session(DECK))
    phone_round = PhoneRound(handle, AREA.id)
    server = RoomServer(phone_round, lang="fi", static_dir=make_static(tmp_path / "web"))
    url = await server.start("127.0.0.1", 0)
    http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20))
    try:
        yield Room(store, handle, phone_round, server, url, http)
    finally:
        await http.close()
        await server.stop()
        store.close()


async def raw_request(port: int, data: bytes, timeout: float = 10.0) -> bytes:
    """Bytes as sent (no client tidies `..` or `%2e` away), the whole answer back."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


# --- the API ---------------------------------------------------------------------------------


async def test_a_phone_joins_reads_the_round_and_votes_once(room: Room) -> None:
    http, url, code = room.http, room.url, room.round.code
    async with http.get(url, allow_redirects=False) as reply:
        assert reply.status == 302 and reply.headers["Location"] == f"/{code}/"
    async with http.get(f"{url}?s=ABCD-EFGH", allow_redirects=False) as reply:
        assert reply.headers["Location"] == f"/{code}/?s=ABCD-EFGH"  # a typed slip code goes on
    async with http.get(url) as reply:  # followed: the page at /CODE/
        assert reply.status == 200 and reply.content_type == "text/html"
        assert "<title>sivu</title>" in await reply.text()
    async with http.get(f"{url}/static/room.js") as reply:
        assert reply.status == 200 and reply.content_type == "text/javascript"
        assert reply.charset == "utf-8" and await reply.text() == "var ok = 1;"
    async with http.get(f"{url}/static/room.css") as reply:
        assert reply.content_type == "text/css"

    async with http.get(f"{url}/api/round") as reply:
        assert reply.status == 200 and reply.content_type == "application/json"
        assert reply.headers["Cache-Control"] == "no-store"
        info = json.loads((await reply.read()).decode("utf-8"))
    assert info["lang"] == "fi" and info["open"] is True and info["summary"] is False
    assert info["dots"] == room.handle.snapshot.meta.dots
    assert info["area"] == {"id": AREA.id, "symbol": AREA.symbol,
                            "title": {"fi": AREA.title.get("fi"), "en": AREA.title.get("en")},
                            "number": 1, "of": len(room.handle.snapshot.meta.area_ids)}
    assert [level["id"] for level in info["levels"]] == L
    assert set(info["levels"][0]) == {"id", "symbol", "label"}
    assert set(info["levels"][0]["label"]) == {"fi", "en"}
    assert [p["id"] for p in info["practices"]] == P
    first = info["practices"][0]
    assert first["card"] == AREA.practices[0].card_id
    assert first["text"] == {"fi": AREA.practices[0].text.get("fi"),
                             "en": AREA.practices[0].text.get("en")}
    assert len(first["points"]) == len(AREA.practices[0].points)
    assert set(info["ui"]) == {"fi", "en"}
    assert all(key.startswith("page.") for lang in ("fi", "en") for key in info["ui"][lang])

    token = await room.token()
    ballot = {"token": token, "ratings": {P[0]: L[0], P[1]: L[1]}, "dots": {P[2]: 2}}
    assert await room.send(ballot) == (200, {"status": "counted", "count": 1})
    assert await room.send(ballot) == (200, {"status": "already", "count": 1})  # a lost reply
    assert room.round.count == 1
    assert room.handle.snapshot.ballot_totals(AREA.id).ballots == 0  # unseen while open
    assert room.round.close() == 1
    totals = room.handle.snapshot.ballot_totals(AREA.id)
    assert totals.ratings == {(P[0], L[0]): 1, (P[1], L[1]): 1} and totals.dots == {P[2]: 2}

    async with http.get(f"{url}/api/round") as reply:
        assert (await reply.json())["open"] is False
    async with http.post(f"{url}/api/token") as reply:
        assert reply.status == 410 and (await reply.json())["error"] == "round_closed"
    status, body = await room.send(ballot)
    assert status == 410 and body["error"] == "round_closed"
    assert set(body["message"]) == {"fi", "en"}
    assert room.handle.snapshot.ballot_totals(AREA.id).ballots == 1


async def test_the_code_is_typed_loosely(room: Room) -> None:
    lower = room.round.code.lower()
    async with room.http.get(f"{room.base}/{lower}/api/round") as reply:
        assert reply.status == 200
    async with room.http.get(f"{room.base}/{lower}", allow_redirects=False) as reply:
        assert reply.headers["Location"] == f"/{room.round.code}/"  # one spelling for the page


async def test_the_summary_sheet_is_offered_only_once_there_is_one(
        loopback: list[Any], data_dir: Path) -> None:
    store = Store(data_dir)
    handle = store.session(store.create_session(DECK))
    sheet: list[bytes | None] = [None]
    server = RoomServer(PhoneRound(handle, AREA.id), lang="en", summary=lambda: sheet[0])
    url = await server.start("127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{url}/summary.pdf") as reply:
                assert reply.status == 404
            async with http.get(f"{url}/api/round") as reply:
                assert (await reply.json())["summary"] is False
            sheet[0] = b"%PDF-1.4 sheet"
            async with http.get(f"{url}/api/round") as reply:
                assert (await reply.json())["summary"] is True
            async with http.get(f"{url}/summary.pdf") as reply:
                assert reply.status == 200 and reply.content_type == "application/pdf"
                assert await reply.read() == b"%PDF-1.4 sheet"
                assert reply.headers["Content-Disposition"].startswith("attachment;")
            async with http.get(f"{url}/") as reply:  # the shipped page, or its placeholder
                assert reply.status == 200 and reply.content_type == "text/html"
    finally:
        await server.stop()
        store.close()


async def test_bad_ballots_are_refused_with_a_reason_and_change_nothing(room: Room) -> None:
    token = await room.token()
    good = {"token": token, "ratings": {P[0]: L[0]}, "dots": {}}
    cases: list[tuple[Any, bool, int, str]] = [
        (b"not json", True, 400, "bad_request"),
        (b"\xff\xfe{}", True, 400, "bad_request"),
        (b'{"token": "x", "ratings": {}, "dots": {}, "token": "y"}', True, 400, "bad_request"),
        (b'{"token": "x", "ratings": {}, "dots": {"a": NaN}}', True, 400, "bad_request"),
        (b"[" * 5000 + b"]" * 5000, True, 400, "bad_request"),
        (b'{"token": "x", "ratings": {}, "dots": {"a": 1' + b"0" * 5000 + b"}}", True, 400,
         "bad_request"),
        (b'{"token": "\\ud800", "ratings": {}, "dots": {}}', True, 400, "bad_request"),
        ([good], False, 400, "bad_request"),
        ({**good, "extra": 1}, False, 400, "bad_request"),
        ({"token": token, "ratings": {P[0]: L[0]}}, False, 400, "bad_request"),
        ({**good, "token": 7}, False, 400, "bad_request"),
        ({**good, "ratings": [P[0]]}, False, 400, "bad_request"),
        ({**good, "ratings": {P[0]: 1}}, False, 400, "bad_request"),
        ({**good, "dots": {P[0]: True}}, False, 400, "bad_request"),
        ({**good, "dots": {P[0]: 1.0}}, False, 400, "bad_request"),
        ({**good, "ratings": {"no-such": L[0]}}, False, 400, "session.no_such_practice"),
        ({**good, "ratings": {P[0]: "no-such"}}, False, 400, "deck.no_such_level"),
        ({**good, "dots": {P[0]: 10**100}}, False, 400, "input.too_many_dots"),
        ({**good, "dots": {P[0]: -1}}, False, 400, "input.bad_number"),
        ({**good, "ratings": {}, "dots": {P[0]: 0}}, False, 400, "input.blank_ballot"),
        ({**good, "ratings": {DECK.areas[1].practices[0].id: L[0]}}, False, 400,
         "session.no_such_practice"),
        ({**good, "token": "made-up"}, False, 409, "unknown_token"),
    ]
    for body, raw, status, key in cases:
        got, answer = await room.send(body, raw=raw)
        assert (got, answer["error"]) == (status, key), body
        assert answer["message"]["fi"] and answer["message"]["en"], body
        assert room.round.count == 0, body
    assert await room.send(good) == (200, {"status": "counted", "count": 1})  # still good


async def test_too_large_bodies_answer_413_and_the_server_goes_on(room: Room) -> None:
    token = await room.token()
    big = json.dumps({"token": token, "ratings": {P[0]: L[0]}, "dots": {},
                      "pad": "x" * 17000}).encode()
    status, body = await room.send(big, raw=True)
    assert status == 413 and body["error"] == "too_large"

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: it grows as it comes
        for _ in range(20):
            yield b" " * 1024

    async with room.http.post(f"{room.url}/api/ballot", data=chunks()) as reply:
        assert reply.status == 413
    assert room.round.count == 0
    assert (await room.send({"token": token, "ratings": {P[0]: L[0]}, "dots": {}}))[0] == 200


async def test_a_stalled_body_gets_an_answer_and_the_server_stays_up(
        room: Room, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(room_server, "BODY_TIMEOUT", 0.5)
    port = room.server.port
    assert port is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"POST /{room.round.code}/api/ballot HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n"
                     '{"token": "'.encode())
        await writer.drain()  # ... and nothing more
        answer = await asyncio.wait_for(reader.read(), 5)  # read() ends: the server hung up
    finally:
        writer.close()
    assert status_of(answer) == 408 and b'"incomplete"' in answer
    token = await room.token()
    assert (await room.send({"token": token, "ratings": {P[0]: L[0]}, "dots": {}}))[0] == 200


async def test_stopping_does_not_wait_for_a_phone_that_stalls(loopback: list[Any],
                                                              data_dir: Path) -> None:
    store = Store(data_dir)
    server = RoomServer(PhoneRound(store.session(store.create_session(DECK)), AREA.id),
                        lang="fi")
    await server.start("127.0.0.1", 0)
    assert server.port is not None
    _reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(f"POST /{server.round.code}/api/ballot HTTP/1.1\r\n"
                     "Content-Length: 100\r\n\r\n{".encode())
        await writer.drain()
        await asyncio.sleep(0.1)
        started = asyncio.get_running_loop().time()
        await asyncio.wait_for(server.stop(), 5)
        assert asyncio.get_running_loop().time() - started < 4
    finally:
        writer.close()
        await server.stop()
        store.close()


# --- paths and codes -------------------------------------------------------------------------


async def test_no_file_outside_the_static_folder_is_ever_served(room: Room) -> None:
    code = room.round.code
    port = room.server.port
    assert port is not None
    paths = [
        f"/{code}/static/../../secret.txt", f"/{code}/static/..%2f..%2fsecret.txt",
        f"/{code}/static/%2e%2e/%2e%2e/secret.txt", f"/{code}/static/%2e%2e%2f%2e%2e%2fsecret.txt",
        f"/{code}/static/%2E%2E%5C%2E%2E%5Csecret.txt", f"/{code}/static/..\\..\\secret.txt",
        f"/{code}/static//etc/passwd", f"/{code}/static/%2Fetc%2Fpasswd",
        f"/{code}/static/C:%5CWindows%5Cwin.ini", f"/{code}/static/link.txt",
        f"/{code}/static/.hidden", f"/{code}/static/sub", f"/{code}/static/",
        f"/{code}/static/index.html%00.js", f"/{code}/static/room.js/",
        f"/{code}/static/room.js/../../../secret.txt", "/static/room.js",
    ]
    for path in paths:
        answer = await raw_request(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Connection: close\r\n\r\n".encode())
        assert status_of(answer) in (400, 404), path
        assert SECRET not in answer and b"root:" not in answer, path
    answer = await raw_request(port, f"GET /{code}/static/room.js HTTP/1.1\r\n"
                               "Host: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    assert status_of(answer) == 200  # the same way in, a file that is there


async def test_wrong_codes_answer_404_then_429_for_everyone_but_the_right_code(
        room: Room) -> None:
    now = [1000.0]
    room.server.app[room_server.WRONG_CODES].clock = lambda: now[0]
    wrong = [c for c in (a + b + "KM" for a in CODE_ALPHABET for b in CODE_ALPHABET)
             if not room.round.matches(c)]
    for path in ("/", "/favicon.ico", "/robots.txt", "/x"):  # not guesses: never counted
        for _ in range(30):
            async with room.http.get(f"{room.base}{path}") as reply:
                assert reply.status == 404
    for guess in wrong[:20]:
        async with room.http.get(f"{room.base}/{guess}/api/round") as reply:
            assert reply.status == 404 and reply.content_type == "text/html"
            page = await reply.text()
            assert 'lang="fi"' in page and 'lang="en"' in page and "Osoitetta" in page
    async with room.http.get(f"{room.base}/{wrong[20]}") as reply:
        assert reply.status == 429  # the 21st within the minute
    now[0] += 10
    async with room.http.post(f"{room.base}/{wrong[21]}/api/token") as reply:
        assert reply.status == 429
    async with room.http.get(f"{room.url}/api/round") as reply:
        assert reply.status == 200  # the room goes on
    assert len(await room.token()) > 10
    now[0] += 21  # 31 s after the lockout began
    async with room.http.get(f"{room.base}/{wrong[22]}") as reply:
        assert reply.status == 404


def test_the_wrong_code_counter_forgets_after_a_minute() -> None:
    now = [0.0]
    counter = WrongCodes(clock=lambda: now[0])
    for _ in range(20):
        assert not counter.refuse()
        now[0] += 3.5  # 20 in 70 s: never more than 20 within a minute
    assert not counter.refuse()
    assert code_shaped("k7 q4") and not code_shaped("K7Q") and not code_shaped("K0Q4")


async def test_security_headers_are_on_every_response(room: Room) -> None:
    requests = [("GET", room.url), ("GET", f"{room.url}/"), ("GET", f"{room.url}/api/round"),
                ("GET", f"{room.url}/static/room.css"), ("POST", f"{room.url}/api/token"),
                ("GET", f"{room.url}/nothing"), ("GET", f"{room.url}/api/ballot"),
                ("GET", f"{room.base}/"), ("GET", f"{room.url}/summary.pdf"),
                ("POST", f"{room.url}/api/ballot")]
    for method, url in requests:
        async with room.http.request(method, url, allow_redirects=False, data=b"{}") as reply:
            assert reply.headers["Content-Security-Policy"] == CSP, url
            assert reply.headers["X-Content-Type-Options"] == "nosniff", url
            assert reply.headers["Referrer-Policy"] == "no-referrer", url
            assert reply.headers["Cache-Control"] == "no-store", url
    assert CSP == ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                   "script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
    async with room.http.post(f"{room.url}/api/ballot", data=b"x" * 20000) as reply:
        assert reply.status == 413 and reply.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_bug_answers_500_without_details_and_the_server_goes_on(
        room: Room, monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(room.round, "commit", broken)  # a bug where ballots are committed
    token = await room.token()
    status, body = await room.send({"token": token, "ratings": {P[0]: L[0]}, "dots": {}})
    assert status == 500 and body["error"] == "server_error" and "bug" not in json.dumps(body)
    assert list((data_dir / "logs").glob("tyopaja-error-*.log"))  # the traceback went there
    monkeypatch.undo()
    assert (await room.send({"token": token, "ratings": {P[0]: L[0]}, "dots": {}}))[0] == 200


# --- hostile input ---------------------------------------------------------------------------

SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(10**18, 10**300)
           | st.floats(allow_nan=False) | st.text(max_size=12))


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)


JSON = st.recursive(SCALARS, _nested, max_leaves=8)
PRACTICE = st.sampled_from(P) | st.text(max_size=12)
LEVEL = st.sampled_from(L) | st.text(max_size=6) | JSON
DOTS = st.integers(-2, 4) | st.integers() | JSON
TOKEN = st.sampled_from(["fresh", "fresh", "spent", "made-up"]) | JSON
SHAPED = st.fixed_dictionaries(
    {"token": TOKEN, "ratings": st.dictionaries(PRACTICE, LEVEL, max_size=4) | JSON,
     "dots": st.dictionaries(PRACTICE, DOTS, max_size=3) | JSON},
    optional={"extra": JSON, "ÄÖ\u2603": JSON})
VALID = st.fixed_dictionaries(
    {"token": st.just("fresh"), "ratings": st.dictionaries(st.sampled_from(P),
                                                            st.sampled_from(L), min_size=1),
     "dots": st.dictionaries(st.sampled_from(P), st.integers(0, 1), max_size=3)})
RAW = st.binary(max_size=64) | st.sampled_from([
    b"", b"{", b"null", b"[]", b'{"token": "fresh"', b'{"token": NaN}', b"\xef\xbb\xbf{}",
    b'{"token":"fresh","ratings":{},"dots":{},"dots":{}}', b'{"\\ud800": 1}'])
BODIES = (st.tuples(st.just("json"), VALID | SHAPED | JSON, st.booleans())
          | st.tuples(st.just("raw"), RAW, st.just(False)))


def expected_valid(body: Any, dots_limit: int) -> bool:
    """Whether a request must count: an exactly shaped, unspent, non-blank, valid ballot."""
    if not isinstance(body, dict) or set(body) != {"token", "ratings", "dots"}:
        return False
    ratings, dots = body["ratings"], body["dots"]
    if body["token"] != "fresh" or not isinstance(ratings, dict) or not isinstance(dots, dict):
        return False
    if not all(k in P and isinstance(v, str) and v in L for k, v in ratings.items()):
        return False
    if not all(k in P and type(v) is int and v >= 0 for k, v in dots.items()):
        return False
    return sum(dots.values()) <= dots_limit and (bool(ratings) or any(dots.values()))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=BODIES)
async def test_hostile_ballots_never_break_the_server_or_the_count(
        room: Room, case: tuple[str, Any, bool]) -> None:
    kind, body, ascii_only = case
    if not room.tokens:  # the first example: a token spent already, to send again
        await count(room, {"token": await room.token(), "ratings": {P[0]: L[0]}, "dots": {}})
    spent, fresh = room.tokens[0], await room.token()
    before = room.round.count
    if kind == "json":
        sent = body
        if isinstance(body, dict) and isinstance(body.get("token"), str):
            sent = dict(body, token={"fresh": fresh, "spent": spent}.get(body["token"],
                                                                         body["token"]))
        data = json.dumps(sent, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    else:
        data = body.replace(b'"fresh"', json.dumps(fresh).encode())
    status, answer = await room.send(data, raw=True)
    assert status < 500, (status, answer)
    valid = kind == "json" and expected_valid(body, room.handle.snapshot.meta.dots)
    if status == 200 and answer["status"] == "counted":
        assert valid, body
        assert room.round.count == before + 1
        room.ratings.update(body["ratings"].items())
        room.dots.update({p: n for p, n in body["dots"].items() if n})
    else:
        assert not valid, (body, status, answer)
        assert room.round.count == before
        assert status in (200, 400, 409, 413) and (status != 200 or answer["status"] == "already")
        if status != 200:
            assert set(answer["message"]) == {"fi", "en"}
    check_counters(room)


async def count(room: Room, ballot: dict[str, Any]) -> None:
    assert (await room.send(ballot))[1]["status"] == "counted"
    room.ratings.update(ballot["ratings"].items())
    room.dots.update({p: n for p, n in ballot["dots"].items() if n})


def check_counters(room: Room) -> None:
    """Refusals changed nothing: the round's counters hold exactly the counted ballots."""
    db = room.store._db
    rows = db.execute("SELECT practice_id, level_id, count FROM round_ratings"
                      " WHERE session_id = ?", (room.handle.id,)).fetchall()
    ratings = {(p, lv): int.from_bytes(n, "big") for p, lv, n in rows}
    rows = db.execute("SELECT practice_id, count FROM round_dots WHERE session_id = ?",
                      (room.handle.id,)).fetchall()
    dots = {p: int.from_bytes(n, "big") for p, n in rows}
    assert {k: n for k, n in ratings.items() if n} == dict(room.ratings)
    assert {k: n for k, n in dots.items() if n} == dict(room.dots)


async def test_after_hostile_input_a_valid_ballot_still_counts(room: Room) -> None:
    """The end of the property test as a test of its own, with every kind of refusal."""
    for data in (b"\x00" * 100, b'{"token": []}', b"[" * 3000, "ä".encode("utf-16")):
        assert (await room.send(data, raw=True))[0] == 400
    token = await room.token()
    assert await room.send({"token": token, "ratings": {P[3]: L[3]}, "dots": {P[0]: 3}}) == (
        200, {"status": "counted", "count": 1})


# --- what is kept about anyone ---------------------------------------------------------------


async def test_nothing_is_logged_about_anyone(
        room: Room, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    port = room.server.port
    assert port is not None
    token = await room.token()
    await room.send({"token": token, "ratings": {P[0]: L[0]}, "dots": {}})
    async with room.http.get(f"{room.base}/WRNG") as reply:
        assert reply.status == 404
    for garbage in (b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\nX: \x00\r\n\r\n",
                    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"):  # and a TLS hello
        answer = await raw_request(port, garbage)
        assert not answer or status_of(answer) == 400
    async with room.http.get(f"{room.url}/api/round") as reply:
        assert reply.status == 200  # still up
    logged = "\n".join(f"{r.name} {r.levelname} {r.getMessage()}" for r in caplog.records)
    assert "127.0.0.1" not in logged
    assert not [r for r in caplog.records if r.name.startswith("aiohttp.access")]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], logged
    out, err = capfd.readouterr()
    assert "127.0.0.1" not in out + err and token not in out + err


async def test_tokens_and_addresses_never_reach_the_disk(room: Room, data_dir: Path) -> None:
    tokens = [await room.token() for _ in range(5)]
    for n, token in enumerate(tokens):
        ballot = {"token": token, "ratings": {P[n % 4]: L[n % 4]}, "dots": {P[0]: 1}}
        assert (await room.send(ballot))[0] == 200
    files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    assert data_dir / DB_NAME in files
    found = {p.name: p.read_bytes() for p in files}
    room.round.close()
    found.update({f"after:{p.name}": p.read_bytes() for p in data_dir.rglob("*") if p.is_file()})
    for name, content in found.items():
        for token in tokens:
            assert token.encode() not in content, name
        assert b"127.0.0.1" not in content, name


# --- starting and stopping -------------------------------------------------------------------


async def test_the_server_is_gone_after_stop(loopback: list[Any], data_dir: Path) -> None:
    store = Store(data_dir)
    server = RoomServer(PhoneRound(store.session(store.create_session(DECK)), AREA.id),
                        lang="fi")
    assert not server.running and server.url is None
    url = await server.start("127.0.0.1", 0)
    try:
        assert server.running and server.url == url
        assert url == f"http://127.0.0.1:{server.port}/{server.round.code}"
        with pytest.raises(RuntimeError):
            await server.start("127.0.0.1", 0)
    finally:
        await server.stop()
        store.close()
    assert not server.running and server.url is None
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(ConnectionRefusedError):
            probe.connect(("127.0.0.1", server.port))
    finally:
        probe.close()
    await server.stop()  # twice is fine


def _free_run(length: int) -> tuple[int, list[socket.socket]]:
    """`length` consecutive ports, each held by a listening socket."""
    for base in range(41000, 60000, 97):
        held: list[socket.socket] = []
        try:
            for port in range(base, base + length):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                held.append(sock)
                sock.bind(("127.0.0.1", port))
                sock.listen()
            return base, held
        except OSError:
            for sock in held:
                sock.close()
    raise AssertionError("no free ports")


async def test_a_taken_port_moves_on_to_the_next_ten(loopback: list[Any],
                                                    data_dir: Path) -> None:
    store = Store(data_dir)
    handle = store.session(store.create_session(DECK))
    base, held = _free_run(3)
    server = RoomServer(PhoneRound(handle, AREA.id), lang="fi")
    try:
        url = await server.start("127.0.0.1", base)
        assert server.port == base + 3 and f":{base + 3}/" in url
    finally:
        await server.stop()
        for sock in held:
            sock.close()
    base, held = _free_run(11)
    try:
        with pytest.raises(KitError) as error:
            await server.start("127.0.0.1", base)
        assert error.value.key == "room.port_taken" and not server.running
        assert f"{base}–{base + 10}" in error.value.message("fi")
        with pytest.raises(KitError) as error:
            await server.start("127.0.0.1", 70000)
        assert error.value.key == "room.bad_port"
    finally:
        for sock in held:
            sock.close()
        store.close()
