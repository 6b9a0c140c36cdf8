"""No network but the room: the kit listens only in `kit/room/server.py`, only while a phone
round is open, and only on the address the facilitator chose.

Every way a socket comes to listen is watched: `socket.socket.bind` and `.listen`, and
asyncio's `create_server` (the event loop class's and the running loop's own attribute). Each
call is recorded with who made it: the first frame of the stack that is in `kit/`, and whether
aiohttp was on the way. Then a whole workshop runs through the app, and the commands run
in-process: nothing binds or listens at all. A phone round, through `RoomServer` and through
the room screen (with the machine's addresses given as loopback only): binds come only from
`kit/room/server.py` through aiohttp, on 127.0.0.1 (never 0.0.0.0 or ::), the sockets that
listen say so themselves (`getsockname`, and on Linux the system's own table of this
process's sockets), and once the round's server stops, or its screen is left, or the app
quits, nothing listens: a connection to the port is refused.

The connections these tests make themselves go to 127.0.0.1 only (the network guard of
conftest.py is lifted for loopback and nothing else), and none comes from the kit: the room
server only listens.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from textual.pilot import Pilot

import kit
from kit import cli
from kit.app import WorkshopApp
from kit.demo import create_demo
from kit.room import addresses as net
from kit.room.round import PhoneRound
from kit.room.server import RoomServer
from kit.screens.area import AreaScreen
from kit.screens.ballot import BallotScreen
from kit.screens.export import ExportScreen
from kit.screens.room import RoomScreen
from kit.screens.start import StartScreen
from kit.screens.summary import SummaryScreen
from kit.store import Store

KIT = Path(kit.__file__).resolve().parent
SERVER = "kit/room/server.py"
LOOPBACK = "127.0.0.1"
UNSPECIFIED = ("0.0.0.0", "::", "")

_BIND = socket.socket.bind
_LISTEN = socket.socket.listen
_CREATE_SERVER = asyncio.BaseEventLoop.create_server
_CONNECT = socket.socket.connect
_CONNECT_EX = socket.socket.connect_ex


# --- watching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    what: str  # "bind", "listen" or "create_server"
    where: str | None  # the first file of the kit on the stack ("kit/room/server.py")
    via_aiohttp: bool  # aiohttp was between the kit and the call
    address: Any  # bind's address; listen's getsockname(); create_server's (host, port)
    family: int | None


def _caller() -> tuple[str | None, bool, bool]:
    """Who is calling: the first kit file on the stack, whether aiohttp is on it, and whether
    this is the standard library's own socketpair (Windows' stand-in binds on loopback for
    an event loop's wake-up pipe: nobody can reach it, and it is no server)."""
    frame = sys._getframe(2)
    where: str | None = None
    via_aiohttp = False
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if frame.f_code.co_name in ("socketpair", "_fallback_socketpair") and (
                Path(path).name == "socket.py"):
            return None, False, True
        if where is None and path.startswith(str(KIT) + os.sep):
            where = Path(path).relative_to(KIT.parent).as_posix()
        elif where is None and f"{os.sep}aiohttp{os.sep}" in path:
            via_aiohttp = True
        frame = frame.f_back  # type: ignore[assignment]
    return where, via_aiohttp, False


def _recording_create(seen: list[Call], original: Any) -> Any:
    async def create_server(self: asyncio.AbstractEventLoop, protocol_factory: Any,
                            host: Any = None, port: Any = None, *args: Any,
                            **kwargs: Any) -> Any:
        where, via, pipe = _caller()
        if not pipe:
            seen.append(Call("create_server", where, via, (host, port), kwargs.get("family")))
        return await original(self, protocol_factory, host, port, *args, **kwargs)

    create_server.recording = True  # type: ignore[attr-defined]
    return create_server


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    """Every bind, listen and create_server from here on, with who called it."""
    seen: list[Call] = []

    def bind(self: socket.socket, address: Any) -> None:
        where, via, pipe = _caller()
        if not pipe:
            seen.append(Call("bind", where, via, address, self.family))
        _BIND(self, address)

    def listen(self: socket.socket, *args: Any) -> None:
        where, via, pipe = _caller()
        if not pipe:
            seen.append(Call("listen", where, via, self.getsockname(), self.family))
        _LISTEN(self, *args)

    monkeypatch.setattr(socket.socket, "bind", bind)
    monkeypatch.setattr(socket.socket, "listen", listen)
    monkeypatch.setattr(asyncio.BaseEventLoop, "create_server",
                        _recording_create(seen, _CREATE_SERVER))
    return seen


def watch_loop(monkeypatch: pytest.MonkeyPatch, seen: list[Call]) -> None:
    """The running loop's own `create_server` too (a loop class of its own would not go
    through `BaseEventLoop`'s)."""
    loop = asyncio.get_running_loop()
    own = next(klass.__dict__["create_server"] for klass in type(loop).__mro__
               if "create_server" in klass.__dict__)
    original = _CREATE_SERVER if getattr(own, "recording", False) else own
    monkeypatch.setattr(loop, "create_server",
                        types.MethodType(_recording_create(seen, original), loop))


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch, no_network: None) -> Iterator[None]:
    """Lift the network guard for 127.0.0.1 only (name lookups stay refused), for the tests'
    own connections: the kit itself connects nowhere, not even there (it only listens)."""
    from_kit: list[Any] = []

    def only_loopback(original: Any) -> Any:
        def connect(self: socket.socket, address: Any, *args: Any) -> Any:
            if self.family == socket.AF_UNIX:
                return original(self, address, *args)
            if _caller()[0] is not None:
                from_kit.append(address)
            if self.family != socket.AF_INET or address[0] != LOOPBACK:
                raise AssertionError(f"not loopback: {address!r}")
            return original(self, address, *args)

        return connect

    monkeypatch.setattr(socket.socket, "connect", only_loopback(_CONNECT))
    monkeypatch.setattr(socket.socket, "connect_ex", only_loopback(_CONNECT_EX))
    yield
    assert from_kit == [], f"the kit connected to {from_kit}"


def _proc_address(text: str, family: int) -> tuple[str, int]:
    host, port = text.split(":")
    raw = bytes.fromhex(host)  # 32-bit words in the machine's byte order (little-endian)
    raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return socket.inet_ntop(family, raw), int(port, 16)


def bound_here() -> list[tuple[str, str, int]] | None:
    """This process's listening TCP sockets and bound UDP ones, from the system's own tables
    (/proc, Linux): [(kind, host, port)]. None where there is no /proc."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir() or not Path("/proc/net/tcp").exists():
        return None
    inodes = set()
    for fd in fds.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    found = []
    for kind, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6),
                         ("udp", socket.AF_INET), ("udp6", socket.AF_INET6)):
        try:
            lines = Path("/proc/net", kind).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if inode not in inodes:
                continue
            host, port = _proc_address(local, family)
            if (kind.startswith("tcp") and state == "0A") or (kind.startswith("udp") and port):
                found.append((kind, host, port))  # 0A: LISTEN
    return sorted(found)


def assert_listening_only(port: int) -> None:
    here = bound_here()
    assert here is None or here == [("tcp", LOOPBACK, port)], here
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.settimeout(5)
    try:
        probe.connect((LOOPBACK, port))  # it answers
    finally:
        probe.close()


def assert_nothing_listens(port: int | None = None) -> None:
    here = bound_here()
    assert here is None or here == [], here
    if port is None:
        return
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.settimeout(5)
    try:
        with pytest.raises(ConnectionRefusedError):
            probe.connect((LOOPBACK, port))
    finally:
        probe.close()


def assert_only_the_room_server(seen: list[Call], port: int) -> None:
    """Binds from kit/room/server.py through aiohttp only, on 127.0.0.1; the one that listens
    is on ('127.0.0.1', port)."""
    assert seen, "nothing was recorded: the watch is not on"
    for call in seen:
        assert call.where == SERVER and call.via_aiohttp, call
        host = call.address[0]
        assert host == LOOPBACK and host not in UNSPECIFIED, call
        assert call.family in (None, socket.AF_INET, socket.AF_UNSPEC), call
    listening = [call.address for call in seen if call.what == "listen"]
    assert listening and listening[-1] == (LOOPBACK, port), listening
    assert {call.what for call in seen} == {"create_server", "bind", "listen"}


# --- the kit without a round: nothing listens ------------------------------------------------


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_whole_workshop_through_the_app_never_listens(
        calls: list[Call], monkeypatch: pytest.MonkeyPatch, data_dir: Path,
        tmp_path: Path) -> None:
    """The demo opened from the start screen, its summary and QR code, keys on an area, a
    secret ballot, the presenter view, the summary again and an export to a folder."""
    watch_loop(monkeypatch, calls)
    app = WorkshopApp(data_dir=data_dir, clock=lambda: 5000.0, wall=lambda: 1_805_000_000.0,
                      today=lambda: dt.date(2027, 3, 12))
    out = tmp_path / "usb"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("d")  # the sample workshop, at its summary
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("2", "1", "q")  # comments, results, the QR code
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("o")  # back to the areas
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        before = app.snapshot().entry_count
        await pilot.press("1", "2", "plus", "down", "3", "tab", "4", "left", "1", "ctrl+z")
        await pilot.press("p")  # the presenter view and back
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen) and app.snapshot().entry_count > before
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BallotScreen)
        area = app.screen.area_id
        ballots = app.snapshot().ballot_totals(area).ballots
        await pilot.press("enter", "1", "2", "up", "plus", "tab", "enter")
        await pilot.press("ctrl+x", "ctrl+x")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        assert app.snapshot().ballot_totals(area).ballots == ballots + 1
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-folder").value = str(out)  # type: ignore[attr-defined]
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert_nothing_listens()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert sorted(p.suffix for p in out.iterdir())[:3] == [".csv", ".json", ".md"]
    assert calls == []
    assert_nothing_listens()


def test_the_commands_never_listen(calls: list[Call], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Every command but `room` (and the app), in this process."""
    assert cli.main(["demo", "--no-ui"]) == 0
    session = capsys.readouterr().out.strip()
    assert cli.main(["sessions"]) == 0
    for fmt in ("json", "csv", "md"):
        assert cli.main(["export", session, "--format", fmt,
                         "-o", str(tmp_path / f"out.{fmt}")]) == 0
    assert cli.main(["summary", session, "-o", str(tmp_path / "yhteenveto.pdf")]) == 0
    assert cli.main(["cards", "-o", str(tmp_path / "kortit.pdf")]) == 0
    assert cli.main(["posters", "-o", str(tmp_path / "julisteet.pdf")]) == 0
    assert cli.main(["import", str(tmp_path / "out.json")]) == 0
    capsys.readouterr()
    assert all((tmp_path / name).stat().st_size > 0 for name in (
        "out.json", "out.csv", "out.md", "yhteenveto.pdf", "kortit.pdf", "julisteet.pdf"))
    assert calls == []
    assert_nothing_listens()


# --- a phone round: the room server, on the chosen address only ------------------------------


async def test_a_round_listens_on_loopback_only_and_not_after_it_stops(
        calls: list[Call], loopback: None, monkeypatch: pytest.MonkeyPatch,
        data_dir: Path) -> None:
    watch_loop(monkeypatch, calls)
    with Store(data_dir) as store:
        handle = store.session(create_demo(store))
        phone_round = PhoneRound(handle, handle.snapshot.meta.area_ids[0])
        server = RoomServer(phone_round, lang="fi")
        assert calls == []  # a round and its server object: nothing listens yet
        assert_nothing_listens()
        url = await server.start(LOOPBACK, 0)
        try:
            port = server.port
            assert port and url == f"http://{LOOPBACK}:{port}/{phone_round.code}"
            assert_only_the_room_server(calls, port)
            assert [c.address for c in calls if c.what == "bind"] == [(LOOPBACK, 0)]
            assert [c.address for c in calls if c.what == "create_server"] == [(LOOPBACK, 0)]
            assert server._runner is not None
            assert server._runner.addresses == [(LOOPBACK, port)]  # the sockets themselves
            assert_listening_only(port)
            async with aiohttp.ClientSession() as http, http.get(f"{url}/api/round") as reply:
                assert reply.status == 200 and (await reply.json())["open"] is True
        finally:
            await server.stop()
        assert not server.running
        assert_nothing_listens(port)
        phone_round.close()
    assert len(calls) == 3  # one create_server, one bind, one listen: nothing else since


def on_loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine's addresses as the room screen reads them: loopback only."""
    monkeypatch.setattr(net, "local_addresses", lambda: [LOOPBACK])


async def test_the_room_screen_listens_while_it_is_up_and_not_after(
        calls: list[Call], loopback: None, monkeypatch: pytest.MonkeyPatch,
        data_dir: Path) -> None:
    """Opened from the area screen (k), as the facilitator does, on its own port (8765, or
    one of the next ten): listening while the screen is up; not after Esc Esc; again on k;
    not after the app quits with the screen up."""
    watch_loop(monkeypatch, calls)
    on_loopback_only(monkeypatch)
    with Store(data_dir) as store:
        session = create_demo(store)
        store.session(session).record_step("area", "osallisuus")
    app = WorkshopApp(data_dir=data_dir, session_id=session, clock=lambda: 5000.0,
                      wall=lambda: 1_805_000_000.0, today=lambda: dt.date(2027, 3, 12))
    ports: list[int] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        assert calls == []
        for turn in range(2):
            await pilot.press("k")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, RoomScreen) and screen.state == "open", screen
            server = screen.server
            assert isinstance(server, RoomServer) and server.running
            assert server.host == LOOPBACK and screen.loopback_only
            assert server.port is not None
            ports.append(server.port)
            assert server._runner is not None
            assert server._runner.addresses == [(LOOPBACK, server.port)]
            assert_only_the_room_server(calls, server.port)
            assert_listening_only(server.port)
            if turn == 0:
                await pilot.press("escape", "escape")  # leave the round open, go back
                await settle(pilot)
                assert isinstance(app.screen, AreaScreen) and not server.running
                assert_nothing_listens(server.port)
        await pilot.press("ctrl+q")  # quit with the room screen up
        await pilot.pause()
    assert not server.running
    assert_nothing_listens(ports[-1])
    assert_only_the_room_server(calls, ports[-1])
    with Store(data_dir) as store:
        assert store.session(session).round_count("osallisuus") == 0  # left open, not lost
