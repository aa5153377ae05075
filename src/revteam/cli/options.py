"""What many commands share and that loads no domain or database: the --db and --json options, the console."""

from typing import Annotated

import typer
from rich.console import Console

DbOption = Annotated[
    str | None,
    typer.Option("--db", metavar="URL", help="Database URL (default: $REVTEAM_DATABASE_URL or sqlite:///revteam.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document and nothing else.")]

console = Console()
