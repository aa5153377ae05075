"""Reserving primary keys up front, so bulk paths insert with plain executemany (no RETURNING).

PostgreSQL hands out ids from the table's own sequence, shared with ordinary inserts. SQLite
has one writer at a time: once this transaction holds the write lock, max(id) + 1 onwards is
ours until commit.
"""

from sqlalchemy import Table, func, select, text
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
