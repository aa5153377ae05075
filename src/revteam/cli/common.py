"""What every command shares: the options, opening the database, printing JSON or a table.

It imports the database layer only inside the functions that open one, so a command module can
import it at its top and its `--help` still loads no SQLAlchemy."""

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from revteam.cli.options import (  # noqa: F401  (the commands import them from here)
    DbOption, FirstOption, JsonOption, LastOption, NowOption, collect_from_here, console, moment_or_now, sub_app,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session


def open_database(db: str | None) -> "Engine":
    """The engine for --db / the environment, refusing a missing or foreign schema."""
    from revteam.config import database_url
    from revteam.db.migrate import require_current
    from revteam.db.session import get_engine

    engine = get_engine(database_url(db))
    require_current(engine)
    collect_from_here()
    return engine


@contextmanager
def database_session(db: str | None) -> Iterator["Session"]:
    """One transaction on the --db / environment database (see `open_database`)."""
    from revteam.db.session import session_scope

    with session_scope(open_database(db)) as session:
        yield session


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, default=str, ensure_ascii=False) + "\n")


def print_rows(rows: list[dict], as_json: bool, columns: Sequence[str], cells: Callable[[dict], Sequence[str]]) -> None:
    """`rows` as one JSON document with --json, else as a table of `columns` filled by `cells(row)`."""
    from rich.table import Table

    if as_json:
        print_json(rows)
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*cells(row))
    console.print(table)
