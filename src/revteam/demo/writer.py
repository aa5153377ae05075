"""Bulk writes for the generator: Core executemany in chunks, no ORM object per row."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, insert

CHUNK = 5_000


def insert_rows(connection: Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert rows in chunks of CHUNK; returns how many were written."""
    written = 0
    batch: list[Mapping[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            connection.execute(insert(table), batch)
            written += len(batch)
            batch = []
    if batch:
        connection.execute(insert(table), batch)
        written += len(batch)
    return written
