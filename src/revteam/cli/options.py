"""What many commands share and that loads no domain or database: the --db and --json options, the console."""

from typing import Annotated

import typer
from rich.console import Console

DbOption = Annotated[
    str | None,
    typer.Option("--db", metavar="URL", help="Database URL (default: $REVTEAM_DATABASE_URL or sqlite:///revteam.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document and nothing else.")]
FirstOption = Annotated[str | None, typer.Option("--from", metavar="YYYY-MM", help="First month (default: all history).")]
LastOption = Annotated[str | None, typer.Option("--to", metavar="YYYY-MM", help="Last month, included (default: all).")]

console = Console()
