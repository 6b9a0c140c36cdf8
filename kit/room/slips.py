"""Voting slips: paper codes for a strict vote, one ballot per slip and area.

A slip carries an 8-character code (`ABCD-EFGH`) from the same unambiguous alphabet as the join
codes, and a QR code of the address that opens the vote with it, `http://HOST:PORT/ABCD-EFGH`
(docs/room.md says why the address and not the bare code). The server sends that address on to
the open round's page with the code in it; a phone that came another way types the code.

Nothing here touches the disk or the network: codes are made and read here, and hashed here
for the store, which keeps only the hashes (`kit.store`). No aiohttp and no reportlab.

- **Guessing is hopeless**: 25 ** 8 codes (37 bits), against at most 20 wrong codes a minute
  through the server.
- **The database alone cannot vote**: it holds SHA-256(salt + code) with a random salt per
  session, never a code.
- **A spent code says nothing about its ballot**: spending writes a fixed-width mark into the
  slip's own row, in the transaction that adds the ballot to the round's anonymous counters.
  The mark is SHA-256(salt, code, area, the sending page's own random id), so that the page
  that spent a slip (and only that page) hears "already counted" when it sends again, after a
  restart too; the mark says nothing of the ballot.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets

from kit.errors import KitError
from kit.room.round import (
    CODE_ALPHABET,
    SEND_MAX,
    SEND_MIN,
    SLIP_LENGTH,
    SlipState,
    check_send,
    format_slip,
    normalise_slip,
)

__all__ = ["SEND_MAX", "SEND_MIN", "SLIP_LENGTH", "SlipState", "check_send", "format_slip",
           "normalise_slip"]  # a slip code's shape is the round's: what a phone may send

SALT_BYTES = 16
HASH_BYTES = 32  # SHA-256
UNSPENT = bytes(HASH_BYTES)  # the spent mark of a slip not used yet: all zero
MAX_SLIPS = 1000  # in one print run


def new_slip_code() -> str:
    """A fresh code, 8 characters, without the hyphen (`format_slip` adds it)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(SLIP_LENGTH))


def slip_shaped(segment: str) -> bool:
    """Whether a path's first part could be a slip code (only those are slip guesses)."""
    return normalise_slip(segment) is not None


def check_host(host: str) -> str:
    """The address a slip's QR code will open: an IP address, as the room is served on it.

    Not checked against this machine's interfaces: slips are printed at home or in the
    office, and the laptop gets its workshop address from the travel router on the day.
    """
    value = host.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise KitError("slips.bad_address", address=host) from None


def check_port(port: int) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise KitError("slips.bad_port", port=port)
    return port


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def slip_url(host: str, port: int, code: str) -> str:
    """What a slip's QR code holds: the room's address with the code as its path."""
    return f"{base_url(host, port)}/{format_slip(code)}"


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def slip_hash(salt: bytes, code: str) -> bytes:
    """What the store keeps of a code: SHA-256 of the session's salt and the code."""
    return hashlib.sha256(salt + b"slip\x00" + code.encode("ascii")).digest()


def spent_mark(salt: bytes, code: str, area_id: str, send: str) -> bytes:
    """What a slip's row holds once its ballot for `area_id` is counted: never all zero, the
    same for the same page's resend, different for anyone else's."""
    data = b"\x00".join((salt, b"spent", code.encode("ascii"), area_id.encode("utf-8"),
                         send.encode("utf-8")))
    mark = hashlib.sha256(data).digest()
    return mark if mark != UNSPENT else b"\x01" + mark[1:]
