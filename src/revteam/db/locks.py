"""Transaction-long locks for writers that decide "is this new?" by reading before they insert.

Two captures of the same new person, or an import and a capture naming the same new company,
would otherwise both find nothing and both insert: the second fails on a unique index and its
whole request or chunk is lost. Holding the intake lock from before the first read to commit
makes them take turns.
"""

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

# PostgreSQL advisory lock key (see leads/form_posts.py for the others in use).
_INTAKE_LOCK = 7010


def hold_sqlite_write_lock(session: Session) -> None:
    """Take SQLite's one write lock now, for the rest of the transaction."""
    # A write statement, even one touching no row, takes SQLite's RESERVED lock for the transaction.
    session.connection().execute(text("UPDATE playbook_versions SET id = id WHERE 0 = 1"))


def hold_intake_lock(session: Session) -> None:
    """Until this transaction ends, no other lead intake or account creation runs.

    SQLite: the database's write lock (it has one writer anyway). PostgreSQL: an advisory lock,
    so readers and every other writer go on.
    """
    if session.connection().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_INTAKE_LOCK)))
    else:
        hold_sqlite_write_lock(session)


def locking(session: Session, query: Select) -> Select:
    """`query`, holding the rows it reads until commit. PostgreSQL: FOR NO KEY UPDATE, an UPDATE's own
    lock, so rows referring to them can still be inserted. SQLite: its write lock, taken now."""
    if session.connection().dialect.name == "postgresql":
        return query.with_for_update(key_share=True)
    hold_sqlite_write_lock(session)
    return query
