"""Which of this machine's addresses the phones can reach: read, never probed.

The usual trick (connect a UDP socket to a public address and read which address the system
picked) sends nothing but still asks the routing table about the internet, and the kit never
goes near the network on its own. Here the addresses are read off the interfaces with the
standard library only: `ioctl` on Linux and macOS, the host name's addresses on Windows. No
connection is opened and no packet is sent.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
import sys
from collections.abc import Callable, Iterable

from kit.errors import KitError

LOOPBACK = "127.0.0.1"

# Home, office and phone-hotspot networks, in the order a workshop is likeliest to be on
# them: travel routers and home Wi-Fi (192.168.x), larger networks (10.x), an iPhone's
# hotspot (172.20.10.x).
_PRIVATE = tuple(ipaddress.IPv4Network(n) for n in ("192.168.0.0/16", "10.0.0.0/8",
                                                     "172.16.0.0/12"))
_LINK_LOCAL = ipaddress.IPv4Network("169.254.0.0/16")  # no DHCP answered: rarely reachable

IFF_UP, IFF_RUNNING = 0x1, 0x40  # the same bits on Linux and the BSDs
# (SIOCGIFFLAGS, SIOCGIFADDR): Linux's numbers, and the BSDs' (_IOWR('i', 17 / 33, ifreq)).
_LINUX = (0x8913, 0x8915)
_BSD = (0xC0206911, 0xC0206921)
# struct ifreq: a 16-byte name, then the union: flags (a short) or a sockaddr_in, whose
# address is at bytes 4..8 of it on both (Linux: family, port; BSD: len, family, port).
_IFREQ_SIZE = 40
_FLAGS_AT, _ADDRESS_AT = 16, 20


def _ioctl_numbers(platform: str) -> tuple[int, int] | None:
    if platform.startswith("linux"):
        return _LINUX
    if platform == "darwin" or "bsd" in platform:
        return _BSD
    return None


def _interface_addresses(numbers: tuple[int, int]) -> list[str]:
    """IPv4 addresses of the interfaces that are up and running, in the system's order."""
    import fcntl

    flags_request, address_request = numbers
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # a handle for ioctl, never used
    try:
        for _index, name in socket.if_nameindex():
            request = struct.pack(f"{_IFREQ_SIZE}s", name.encode()[:15])
            try:
                flags = struct.unpack_from(
                    "H", fcntl.ioctl(probe.fileno(), flags_request, request), _FLAGS_AT)[0]
                if flags & (IFF_UP | IFF_RUNNING) != IFF_UP | IFF_RUNNING:
                    continue  # down, or up without a cable or a Wi-Fi network
                answer = fcntl.ioctl(probe.fileno(), address_request, request)
            except OSError:  # no IPv4 address on it, or it went away meanwhile
                continue
            found.append(socket.inet_ntoa(answer[_ADDRESS_AT:_ADDRESS_AT + 4]))
    finally:
        probe.close()
    return found


def _host_addresses() -> list[str]:
    """Windows (and anything without the ioctls): the addresses of this machine's name.

    Windows answers this from its own interfaces (it is how the system names itself), not by
    asking a DNS server.
    """
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [str(info[4][0]) for info in infos]


def _rank(address: ipaddress.IPv4Address) -> int:
    for rank, network in enumerate(_PRIVATE):
        if address in network:
            return rank
    if address.is_loopback:
        return len(_PRIVATE) + 2
    if address in _LINK_LOCAL:
        return len(_PRIVATE) + 1
    return len(_PRIVATE)


def sort_addresses(addresses: Iterable[str]) -> list[str]:
    """Private networks first (192.168, 10, 172.16-31), then others, loopback last; each
    address once, the system's order kept within each group."""
    seen: dict[ipaddress.IPv4Address, None] = {}
    for text in addresses:
        try:
            seen.setdefault(ipaddress.IPv4Address(text))
        except ValueError:
            continue
    ranked = sorted(seen, key=_rank)  # sorted() is stable
    return [str(address) for address in ranked if not address.is_unspecified]


def local_addresses(platform: str | None = None,
                    read: Callable[[tuple[int, int]], list[str]] | None = None) -> list[str]:
    """This machine's IPv4 addresses on interfaces that are up, best for the phones first.

    Loopback is always there (last), so the list is never empty.
    """
    platform = sys.platform if platform is None else platform
    numbers = _ioctl_numbers(platform)
    if numbers is None:
        found = _host_addresses()
    else:  # never the host name here: on Linux and macOS that may ask a DNS server
        try:
            found = (read or _interface_addresses)(numbers)
        except (OSError, ImportError):
            found = []
    return sort_addresses([*found, LOOPBACK])


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.IPv4Address(address).is_loopback
    except ValueError:
        return False


def choose_address(addresses: list[str], wanted: str | None) -> tuple[str, bool]:
    """The address to serve on, and whether it is loopback only (no network: phones cannot
    reach it). `wanted` must be one of `addresses` or a loopback address; without it, the
    best of `addresses`."""
    if wanted is not None:
        address = wanted.strip()
        if address not in addresses and not is_loopback(address):
            known = ", ".join(a for a in addresses if not is_loopback(a)) or LOOPBACK
            raise KitError("room.bad_bind", address=wanted, known=known)
        return address, is_loopback(address)
    reachable = [a for a in addresses if not is_loopback(a)]
    if reachable:
        return reachable[0], False
    return LOOPBACK, True
