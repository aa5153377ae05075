"""What many commands share and that loads no domain or database: the options, the console, `--now`."""

import gc
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer._click.core import Command, Context, Parameter
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer.core import TyperArgument, TyperGroup, TyperOption, _TyperParameter

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


class _PlainValue(RuntimeParam):
    """A text, whole number, flag, file path or list of texts as Click parsed it. Typer coerces every value, even
    an absent option's, through a pydantic adapter it builds on first use: that would load pydantic in
    every command (and in a group's `--help`) only to check a string is a string. A value this cannot
    vouch for goes through Typer's own coercion, with its messages."""

    def _coerce_value(self, value: Any, param: "LightOption | LightArgument", ctx: Context) -> Any:
        if type(value) is self.annotation:
            return value
        if self.annotation is int and isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
            return int(value)
        if self.annotation == list[str] and all(type(item) is str for item in value):
            return list(value)
        if self.annotation is Path and isinstance(value, str):
            return Path(value)
        return build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=ctx)


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_PLAIN_TYPES = (str, int, bool, list[str], Path)


def _is_plain(described: TypeDescriptor) -> bool:
    """A type `_PlainValue` handles, with no bounds, parser, choices or file to open for Typer to apply.
    (A path's checks, `exists=` and the like, are Click's, made before the value gets here.)"""
    info = described.parameter_info
    return (described.annotation in _PLAIN_TYPES and info.min is None and info.max is None and info.parser is None
            and info.path_type is None and not (described.is_choice or described.is_file)
            and (described.annotation is Path or not described.is_path))


def _plain_or_typers_runtime(param: "LightOption | LightArgument") -> RuntimeParam:
    if param._runtime_param is None and _is_plain(param.type_descriptor):
        described = param.type_descriptor
        param._runtime_param = _PlainValue(parameter_info=described.parameter_info, annotation=described.annotation)
    return _TyperParameter.get_runtime_param(param)


# Subclasses adding no field, so that a Typer parameter can become one in place (see `_lighten`).
class LightOption(TyperOption):
    get_runtime_param = _plain_or_typers_runtime


class LightArgument(TyperArgument):
    get_runtime_param = _plain_or_typers_runtime


def _lighten(params: list[Parameter]) -> list[Parameter]:
    for param in params:
        param.__class__ = {TyperOption: LightOption, TyperArgument: LightArgument}.get(type(param), type(param))
    return params


def with_light_values(command: Command, ctx: Context) -> Command:
    """`command` whose options and arguments (its `--help` among them) take plain values as parsed."""
    _lighten(command.get_params(ctx))
    return command


class LightGroup(TyperGroup):
    """A group of commands whose options take plain values as parsed (see `_PlainValue`), its own as theirs."""

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _lighten(super().get_params(ctx))

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        return None if command is None else with_light_values(command, ctx)


def sub_app(**settings: Any) -> typer.Typer:
    """A command's group of subcommands (its one-line help is the one in `COMMANDS` in main.py)."""
    return typer.Typer(cls=LightGroup, no_args_is_help=True, **settings)


def collect_from_here() -> None:
    """The command's own work begins (its database is open): the cyclic garbage collector, which the
    console script turned off before its first import (cli/start.py), comes back on, and what start-up
    made stays out of its passes (frozen, as the web app does once built). A no-op where it is on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


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
