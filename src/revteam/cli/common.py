"""What every command shares: the --db option, opening the database, printing JSON or a table."""

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from rich.table import Table
from sqlalchemy import Engine

from revteam.config import database_url
from revteam.db.migrate import require_current
from revteam.db.session import get_engine
from revteam.cli.options import DbOption, JsonOption, console  # noqa: F401  (the commands import them from here)


def open_database(db: str | None) -> Engine:
    """The engine for --db / the environment, refusing a missing or foreign schema."""
    engine = get_engine(database_url(db))
    require_current(engine)
    return engine


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, default=str, ensure_ascii=False) + "\n")


def print_rows(rows: list[dict], as_json: bool, columns: Sequence[str], cells: Callable[[dict], Sequence[str]]) -> None:
    """`rows` as one JSON document with --json, else as a table of `columns` filled by `cells(row)`."""
    if as_json:
        print_json(rows)
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*cells(row))
    console.print(table)
