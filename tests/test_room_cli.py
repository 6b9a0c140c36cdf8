"""`tyopaja room`: the address first, ctrl+c closes and counts, a power cut loses nothing;
and how the machine's addresses are found without touching the network."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from room_helpers import ROOT, room_process
from yarl import URL

from kit.deck import load_deck
from kit.errors import KitError
from kit.room import addresses
from kit.room.addresses import choose_address, local_addresses, sort_addresses
from kit.store import Store

DECK = load_deck()
AREA = DECK.areas[1]  # not the first: the default must come from where the facilitator is
P = [p.id for p in AREA.practices]
L = [level.id for level in DECK.scale]


@pytest.fixture
def session(data_dir: Path) -> str:
    with Store(data_dir) as store:
        session_id = store.create_session(DECK)
        store.session(session_id).record_step("area", AREA.id)
    return session_id


class Room:
    """A running `tyopaja room` and the address it printed first."""

    def __init__(self, process: asyncio.subprocess.Process, url: str) -> None:
        self.process, self.url = process, url
        self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20))

    async def vote(self, ratings: dict[str, str], dots: dict[str, int]) -> str:
        async with self.http.post(f"{self.url}/api/token") as reply:
            token = str((await reply.json())["token"])
        async with self.http.post(f"{self.url}/api/ballot",
                                  json={"token": token, "ratings": ratings,
                                        "dots": dots}) as reply:
            assert reply.status == 200
            assert (await reply.json())["status"] == "counted"
        return token

    async def finish(self, how: int) -> tuple[int, str, str]:
        """Send `how`; the exit code and the rest of stdout and stderr."""
        await self.http.close()
        self.process.send_signal(how)
        out, err = await asyncio.wait_for(self.process.communicate(), 30)
        assert self.process.returncode is not None
        return self.process.returncode, out.decode(), err.decode()


@asynccontextmanager
async def room(data_dir: Path, *args: str) -> AsyncIterator[Room]:
    async with room_process(data_dir, *args) as (process, url):
        assert url.startswith("http://127.0.0.1:"), url
        running = Room(process, url)
        try:
            yield running
        finally:
            await running.http.close()
            await process.wait()


async def test_room_prints_the_address_first_and_ctrl_c_adds_the_ballots(
        loopback: list[Any], data_dir: Path, session: str) -> None:
    async with room(data_dir, session) as running:
        await running.vote({P[0]: L[0], P[1]: L[2]}, {P[0]: 2})
        await running.vote({P[0]: L[1]}, {})
        reader, writer = await asyncio.open_connection("127.0.0.1", URL(running.url).port)
        writer.write(b"GARBAGE\r\n\r\n")  # a garbled request: nothing about it on stderr
        await writer.drain()
        await reader.read()
        writer.close()
        code, out, err = await running.finish(signal.SIGINT)
    assert code == 0, err
    assert out == "2 lipuketta lisätty osa-alueen tuloksiin\n"
    lines = err.splitlines()
    assert lines[0] == f"Puhelinäänestys: {AREA.symbol} {AREA.title.get('fi')} (osa-alue 2/4)"
    assert "Ctrl+C" in lines[-1]
    assert "127.0.0.1" not in err and "Traceback" not in err and "Error" not in err
    with Store(data_dir) as store:
        handle = store.session(session)
        totals = handle.snapshot.ballot_totals(AREA.id)
        assert handle.open_rounds() == []
    assert totals.ballots == 2
    assert totals.ratings == {(P[0], L[0]): 1, (P[1], L[2]): 1, (P[0], L[1]): 1}
    assert totals.dots == {P[0]: 2}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_room_refuses_an_address_that_is_not_this_machines(data_dir: Path,
                                                           session: str) -> None:
    result = run("--data-dir", str(data_dir), "room", session, "--bind", "10.99.99.99")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "10.99.99.99 ei ole tämän koneen osoite" in result.stderr
    english = run("--data-dir", str(data_dir), "--lang", "en", "room", session,
                  "--bind", "10.99.99.99")
    assert english.returncode == 2 and "is not an address of this computer" in english.stderr
    for bad in (["--port", "70000"], ["--port", "x"], ["--area", "no-such-area"]):
        result = run("--data-dir", str(data_dir), "room", session, "--bind", "127.0.0.1", *bad)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, bad
    with Store(data_dir) as store:
        assert store.session(session).open_rounds() == []  # nothing was opened


def test_room_says_so_when_every_port_is_taken_and_leaves_no_round_open(
        loopback: list[Any], data_dir: Path, session: str) -> None:
    held: list[socket.socket] = []
    try:
        for base in range(42000, 60000, 101):  # eleven ports in a row, all taken
            try:
                for port in range(base, base + 11):
                    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    held.append(sock)
                    sock.bind(("127.0.0.1", port))
                    sock.listen()
                break
            except OSError:
                for sock in held:
                    sock.close()
                held.clear()
        result = run("--data-dir", str(data_dir), "room", session, "--bind", "127.0.0.1",
                     "--port", str(base))
    finally:
        for sock in held:
            sock.close()
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"tyopaja: portit {base}–{base + 10} ovat kaikki käytössä: valitse toinen (--port)"]
    with Store(data_dir) as store:
        assert store.session(session).open_rounds() == []


async def test_a_power_cut_mid_round_loses_no_ballot_and_counts_none_twice(
        loopback: list[Any], data_dir: Path, session: str) -> None:
    ballots = [({P[n % len(P)]: L[n % len(L)]}, {P[0]: 1} if n % 2 else {}) for n in range(5)]
    async with room(data_dir, session) as running:
        tokens = [await running.vote(ratings, dots) for ratings, dots in ballots]
        running.process.kill()  # SIGKILL: no handler runs, nothing is closed
        await running.process.wait()
        first_url = running.url

    with Store(data_dir) as store:
        handle = store.session(session)
        assert handle.open_rounds() == [AREA.id] and handle.round_count(AREA.id) == 5
        assert handle.snapshot.ballot_totals(AREA.id).ballots == 0
    for path in data_dir.rglob("*"):  # the -wal or -journal too: no token anywhere
        if path.is_file():
            content = path.read_bytes()
            assert not any(token.encode() in content for token in tokens), path

    async with room(data_dir, session) as running:  # the room again, as after the power cut
        assert running.url != first_url  # a new code: the old tokens are gone with the process
        code, out, err = await running.finish(signal.SIGTERM)
    assert code == 0, err
    assert "Jatketaan kesken jäänyttä äänestystä: siinä on jo 5 lipuketta tallessa." in err
    assert out == "5 lipuketta lisätty osa-alueen tuloksiin\n"
    with Store(data_dir) as store:
        handle = store.session(session)
        totals = handle.snapshot.ballot_totals(AREA.id)
        assert handle.open_rounds() == []
    assert totals.ballots == 5
    expected: dict[tuple[str, str], int] = {}
    for ratings, _dots in ballots:
        for key in ratings.items():
            expected[key] = expected.get(key, 0) + 1
    assert totals.ratings == expected and totals.dots == {P[0]: 2}


# --- addresses -------------------------------------------------------------------------------


def test_this_machines_addresses_are_read_without_the_network() -> None:
    """Under the conftest guard: any connect or name lookup would fail this test."""
    found = local_addresses()
    assert found[-1] == "127.0.0.1" and found.count("127.0.0.1") == 1
    assert all(len(a.split(".")) == 4 for a in found)
    assert found == sort_addresses(found)


def test_private_networks_come_first_and_loopback_last() -> None:
    assert sort_addresses(["8.8.8.8", "127.0.0.1", "172.20.10.2", "169.254.1.1", "10.1.2.3",
                           "192.168.8.20", "10.1.2.3", "not an address", "0.0.0.0",
                           "192.168.1.5"]) == [
        "192.168.8.20", "192.168.1.5", "10.1.2.3", "172.20.10.2", "8.8.8.8", "169.254.1.1",
        "127.0.0.1"]


def test_each_platform_reads_its_own_way(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[int, int]] = []

    def reader(numbers: tuple[int, int]) -> list[str]:
        asked.append(numbers)
        return ["127.0.0.1", "10.0.0.7", "192.168.1.4"]

    assert local_addresses("linux", reader) == ["192.168.1.4", "10.0.0.7", "127.0.0.1"]
    assert local_addresses("darwin", reader) == ["192.168.1.4", "10.0.0.7", "127.0.0.1"]
    assert asked == [(0x8913, 0x8915), (0xC0206911, 0xC0206921)]

    def broken(numbers: tuple[int, int]) -> list[str]:
        raise OSError("no ioctl here")

    assert local_addresses("linux", broken) == ["127.0.0.1"]  # and no name lookup instead

    looked_up: list[Any] = []

    def getaddrinfo(host: str, port: Any, family: int = 0, *args: Any) -> list[Any]:
        looked_up.append((host, family))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.0.10", 0))]

    monkeypatch.setattr(addresses.socket, "getaddrinfo", getaddrinfo)
    assert local_addresses("win32", reader) == ["192.168.0.10", "127.0.0.1"]
    assert looked_up == [(socket.gethostname(), socket.AF_INET)]


def test_the_address_is_chosen_or_checked() -> None:
    found = ["192.168.8.20", "10.0.0.2", "127.0.0.1"]
    assert choose_address(found, None) == ("192.168.8.20", False)
    assert choose_address(found, "10.0.0.2") == ("10.0.0.2", False)
    assert choose_address(found, "127.0.0.1") == ("127.0.0.1", True)
    assert choose_address(["127.0.0.1"], None) == ("127.0.0.1", True)  # no network
    with pytest.raises(KitError) as error:
        choose_address(found, "10.99.99.99")
    assert error.value.key == "room.bad_bind"
    assert "192.168.8.20, 10.0.0.2" in error.value.message("en")
