"""What many commands share and that loads no domain or database: the options, the console, `--now`."""

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from typer.core import TyperGroup, TyperOption

from revteam.errors import BadInput

DbOption = Annotated[
    str | None,
    typer.Option("--db", metavar="URL", help="Database URL (default: $REVTEAM_DATABASE_URL or sqlite:///revteam.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document and nothing else.")]
FirstOption = Annotated[str | None, typer.Option("--from", metavar="YYYY-MM", help="First month (default: all history).")]
LastOption = Annotated[str | None, typer.Option("--to", metavar="YYYY-MM", help="Last month, included (default: all).")]
NowOption = Annotated[
    str | None,
    typer.Option("--now", metavar="ISO-TIME",
                 help="Pretend it is this time (e.g. 2026-01-05T10:00:00Z); default: now."),
]

console = Console()


class AsParsed(TyperOption):
    """An option used as Click parsed it. Typer coerces every value, even an absent flag's, through a
    pydantic adapter it builds on first use: a group's `--help` flag (and the top-level `--db`) is
    processed before the `--help` of a command inside it, so that would import pydantic only to show a
    help. Neither needs it: Click has made the flag a bool (None when absent), and `--db` is text."""

    def process_value(self, ctx, value):
        return value if self.callback is None else self.callback(ctx, self, value)


class LightGroup(TyperGroup):
    """A group of commands whose `--help` flag is used as parsed (see `AsParsed`)."""

    def get_help_option(self, ctx) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.__class__ = AsParsed
        return option


def moment_or_now(value: str | None) -> datetime:
    """The `--now` given, in UTC (a time without a zone is taken as UTC), or the present moment."""
    if value is None:
        from revteam.db.base import utcnow

        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(f"not an ISO time: {value!r} (e.g. 2026-01-05T10:00:00Z)", where="--now") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
