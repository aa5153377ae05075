"""Engines and the one transaction boundary: `session_scope`."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from revteam.db.json_text import json_text
from revteam.errors import BadInput


# SQLite reads the database's pages straight from the file mapped into memory (up to its build's
# ceiling, 2 GiB), shared by every connection through the OS page cache, instead of copying each one
# through a system call into the connection's own 2 MB cache: on `medium` (577 MB) a manager's
# cultivation board's CPU fell from 46 to 29 ms, the inbox's from 59 to 48, my leads' from 50 to 40.
SQLITE_MAPPED_BYTES = 2**31


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MAPPED_BYTES}")
    cursor.close()


def _with_driver(url: str) -> str:
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def _connect_args(url: str) -> dict[str, str]:
    """PostgreSQL without JIT: the planner compiles any plan it costs high, and the estimate of a visibility
    check is high even where the rows are few (a search's account count: 1.0 s compiling, 70 ms running)."""
    return {"options": "-c jit=off"} if url.startswith("postgresql") else {}


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine per URL per process; SQLite in WAL mode with foreign keys on. The first one wires
    the domains into the event log and the job queue (revteam/wiring.py)."""
    # Here, not at the top: importing the storage layer must not load every domain above it.
    import revteam.wiring  # noqa: F401

    url = _with_driver(url)
    try:
        engine = create_engine(url, pool_pre_ping=True, json_serializer=json_text, connect_args=_connect_args(url))
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise BadInput(f"bad database URL {url!r}: {error}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name != "postgresql":
        raise BadInput(f"unsupported database {engine.dialect.name!r} in {url!r}: use sqlite or postgresql")
    return engine


@contextmanager
def session_scope(engine: Engine | Connection) -> Iterator[Session]:
    """Open a session, commit once at the end, roll everything back on any error (on a connection
    of its own from the engine, or on the one given, which must be outside a transaction)."""
    session = sessionmaker(engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
