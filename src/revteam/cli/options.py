"""The options many commands share, kept light: `revteam --help` reads them without loading any domain."""

from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option("--db", metavar="URL", help="Database URL (default: $REVTEAM_DATABASE_URL or sqlite:///revteam.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document and nothing else.")]
