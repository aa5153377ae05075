"""Appending many rows through the driver itself: COPY on PostgreSQL, one executemany on SQLite.

On a bulk import SQLAlchemy's per-row bind processing costs more than the database's own work,
so values are rendered once, here, in the form SQLAlchemy would have stored them: times in UTC
(SQLite keeps them as naive text), JSON as text, None as NULL. The rows join the caller's
transaction: they commit or roll back with everything else in it.
"""

from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from revteam.db.json_text import json_text


@dataclass(frozen=True, slots=True)
class Storage:
    """How one database stores the values the bulk path writes."""

    postgresql: bool

    @classmethod
    def of(cls, session: Session) -> "Storage":
        return cls(session.connection().dialect.name == "postgresql")

    def time(self, moment: datetime | None) -> datetime | str | None:
        """A timezone-aware time as stored: the datetime itself for COPY, SQLAlchemy's text on SQLite."""
        if moment is None:
            return None
        if moment.tzinfo is None:
            raise ValueError(f"naive datetime {moment!r}: store timezone-aware UTC times")
        return moment if self.postgresql else _sqlite_time(moment)

    def utc_text_time(self, text: str) -> str:
        """A UTC time given as its `datetime.isoformat` text ("2026-03-02T14:00:00+00:00"), as stored:
        COPY hands the text to PostgreSQL, which reads it; on SQLite, SQLAlchemy's text, cut from it
        (no datetime made on the way)."""
        if self.postgresql:
            return text
        fraction = text[20:26] if text[19] == "." else "000000"
        return f"{text[:10]} {text[11:19]}.{fraction}"

    @staticmethod
    def json(document: dict[str, Any] | list | None) -> str | None:
        """JSON as text (PostgreSQL reads it into jsonb), or NULL for None."""
        return None if document is None else json_text(document)


@lru_cache(maxsize=4096)  # an import stamps most rows with the same few moments
def _sqlite_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def insert_rows(session: Session, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """Append `rows` (values in `columns` order, rendered by `Storage`) to `table`."""
    if not rows:
        return
    connection = session.connection()
    driver_connection = connection.connection.dbapi_connection
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        with driver_connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        driver_connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)


def update_rows(session: Session, table: str, columns: Sequence[str], keys: Sequence[str], rows: list[tuple]) -> None:
    """Set `columns` on the row of `table` each of `rows` finds by `keys` (its values: the columns', then
    the keys', rendered by `Storage`), in one executemany through the driver."""
    if not rows:
        return
    connection = session.connection()
    marker = "%s" if connection.dialect.name == "postgresql" else "?"
    statement = (f"UPDATE {table} SET {', '.join(f'{name} = {marker}' for name in columns)} "
                 f"WHERE {' AND '.join(f'{name} = {marker}' for name in keys)}")
    driver_connection = connection.connection.dbapi_connection
    with closing(driver_connection.cursor()) as cursor:
        cursor.executemany(statement, rows)


def insert_new_keys(session: Session, table: str, columns: tuple[str, str],
                    keys: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Add these keys, pairs of integers, to `table`'s primary key `columns` in one statement; returns
    those not there before."""
    if not keys:
        return set()
    connection, names = session.connection(), ", ".join(columns)
    if connection.dialect.name == "postgresql":
        statement = (f"INSERT INTO {table} ({names}) SELECT * FROM unnest(%s::bigint[], %s::bigint[]) "
                     f"ON CONFLICT DO NOTHING RETURNING {names}")
        found = connection.exec_driver_sql(statement, ([key[0] for key in keys], [key[1] for key in keys]))
    else:
        # WHERE true: without it SQLite would read ON CONFLICT as the ON of a join
        statement = (f"INSERT INTO {table} ({names}) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') "
                     f"FROM json_each(?) WHERE true ON CONFLICT DO NOTHING RETURNING {names}")
        found = connection.exec_driver_sql(statement, (json_text(keys),))
    return {(first, second) for first, second in found}
