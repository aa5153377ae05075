"""A transaction that cannot write: what-if reports run in it, so they are safe on production.

PostgreSQL refuses every write in a `READ ONLY` transaction; SQLite's `query_only` pragma does the
same for the connection, and is switched off again before the connection goes back to the pool.
Either way the transaction ends in a rollback: nothing it did could be kept.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session


@contextmanager
def read_only_scope(engine: Engine) -> Iterator[Session]:
    """A session whose transaction the database itself keeps from writing; always rolled back."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        connection.exec_driver_sql("PRAGMA query_only = ON" if sqlite else "SET TRANSACTION READ ONLY")
        try:
            with Session(connection, expire_on_commit=False) as session:
                yield session
        finally:
            connection.rollback()
            if sqlite:
                connection.exec_driver_sql("PRAGMA query_only = OFF")
