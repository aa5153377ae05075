"""Selecting rows by a long list of keys (a chunk's e-mails, phones, leads) with the list bound as
one value, so the statement's text is the same whatever the list's length.

`column.in_(keys)` writes one placeholder per key: every chunk is a new statement for the driver
to prepare and keep, and SQLite's statement cache keeps up to 128 of them at about 2 MB for each
10,000-key statement.
"""

from collections.abc import Collection

from sqlalchemy import ColumnElement, bindparam, func, literal_column, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from revteam.db.json_text import json_text


def among(session: Session, column, keys: Collection) -> ColumnElement[bool]:
    """`column IN keys`, as an array (PostgreSQL) or a JSON list read by json_each (SQLite)."""
    if session.connection().dialect.name == "postgresql":
        return column == func.any(bindparam(None, list(keys), type_=postgresql.ARRAY(column.type)))
    listed = select(literal_column("value")).select_from(func.json_each(bindparam(None, json_text(list(keys)))))
    return column.in_(listed)
