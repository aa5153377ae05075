"""Reserving primary keys up front, so bulk paths insert with plain executemany (no RETURNING).

PostgreSQL hands out ids from the table's own sequence, shared with ordinary inserts. SQLite
has one writer at a time: once this transaction holds the write lock, max(id) + 1 onwards is
ours until commit.
"""

from collections.abc import Iterable

from sqlalchemy import Table, cast, func, select, text
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.orm import Session

from revteam.db.locks import hold_sqlite_write_lock


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` fresh ids for `table`, valid for inserts in this transaction."""
    if count == 0:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        query = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)")
        return list(connection.execute(query, {"table": table.name, "count": count}).scalars())
    hold_sqlite_write_lock(session)
    start = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one() + 1
    return list(range(start, start + count))


def advance_id_sequences(session: Session, tables: Iterable[Table]) -> None:
    """After rows were written with ids of their own: each table's PostgreSQL id sequence goes on past
    the highest id (never back), so ordinary inserts do not collide with them. SQLite needs nothing:
    it takes max(id) + 1."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        if table.autoincrement_column is None or table.autoincrement_column.name != "id":
            continue
        sequence = func.pg_get_serial_sequence(table.name, "id")
        highest = select(func.coalesce(func.max(table.c.id), 0)).scalar_subquery()
        handed_out = func.coalesce(func.pg_sequence_last_value(cast(sequence, REGCLASS)), 0)
        last = func.greatest(highest, handed_out)
        # setval(s, n, true): the next id is n + 1; a sequence starts at 1, so an unused one stays unused.
        connection.execute(select(func.setval(sequence, func.greatest(last, 1), last > 0)))
