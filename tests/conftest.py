"""Shared fixtures. Every test runs with the network cut off and its own data folder."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kit.deck import Deck, load_deck
from kit.store import Store


class NetworkBlocked(AssertionError):
    """Raised when code under test tries to reach the network."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The product is offline: any attempt to connect a socket fails the test.

    Unix sockets stay allowed (asyncio uses socketpairs inside Textual's test runner).
    """

    def guard(original):  # type: ignore[no-untyped-def]
        def connect(self: socket.socket, address: object, *args: object) -> object:
            if self.family == socket.AF_UNIX:
                return original(self, address, *args)
            raise NetworkBlocked(f"network access attempted: {address!r}")

        return connect

    monkeypatch.setattr(socket.socket, "connect", guard(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guard(socket.socket.connect_ex))
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)


# The real socket functions, taken at import (before any test's guard replaces them).
_CONNECT = socket.socket.connect
_CONNECT_EX = socket.socket.connect_ex


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch, no_network: None) -> Iterator[list[Any]]:
    """Lift the network guard for 127.0.0.1 only (the phone room's tests): every address
    connected to is checked; name lookups stay refused."""
    seen: list[Any] = []

    def only_loopback(original: Any) -> Any:
        def connect(self: socket.socket, address: Any, *args: Any) -> Any:
            if self.family == socket.AF_UNIX:
                return original(self, address, *args)
            seen.append(address)
            if self.family != socket.AF_INET or address[0] != "127.0.0.1":
                raise AssertionError(f"not loopback: {address!r}")
            return original(self, address, *args)

        return connect

    monkeypatch.setattr(socket.socket, "connect", only_loopback(_CONNECT))
    monkeypatch.setattr(socket.socket, "connect_ex", only_loopback(_CONNECT_EX))
    yield seen
    assert all(address[0] == "127.0.0.1" for address in seen)


def _refuse(*args: object, **kwargs: object) -> None:
    raise NetworkBlocked(f"network access attempted: {args!r}")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder; TYOPAJA_DATA_DIR points there for the CLI and the app."""
    folder = tmp_path / "data"
    monkeypatch.setenv("TYOPAJA_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def deck() -> Deck:
    return load_deck()


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store(data_dir) as opened:
        yield opened
