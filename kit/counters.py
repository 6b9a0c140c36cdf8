"""The fixed-width counters that hold secret ballots: bytes that never tell ballots apart.

Each counter is a 4-byte big-endian blob in a row made, all zero, before the first ballot (a
session's, a round's): an update never changes a record's size, and so never its place on
the page, whatever the order of the ballots. No row is ever born of a ballot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from kit.errors import KitError


def counter(value: int) -> bytes:
    return value.to_bytes(4, "big")


def count(blob: bytes) -> int:
    return int.from_bytes(blob, "big")


def add(db: sqlite3.Connection, table: str, key: Mapping[str, str], by: int) -> None:
    """Add to one fixed-width ballot counter (the row exists from the session's creation)."""
    where = " AND ".join(f"{column} = ?" for column in key)
    row = db.execute(f"SELECT count FROM {table} WHERE {where}", tuple(key.values())).fetchone()
    if row is None:
        raise KitError("import.bad_ballots")
    db.execute(f"UPDATE {table} SET count = ? WHERE {where}",
               (counter(count(row[0]) + by), *key.values()))
