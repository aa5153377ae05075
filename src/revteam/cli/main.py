"""The `revteam` command: thin sub-apps per domain, one place mapping errors to exit codes.

A command's module (and the domain, database and web stack behind it) is imported only when that
command runs: `revteam --help` lists the commands from `COMMANDS` alone."""

import importlib
import sys
import traceback

import typer
from typer.core import TyperCommand

from revteam.cli.options import DbOption, LightGroup, with_light_values
from revteam.errors import RevteamError

# name: (module under revteam.cli, its Typer app or command function, the one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("setup", "init", "Create or upgrade the database schema; safe to run again."),
    "demo": ("demo", "demo", "Build a fresh demo database, print what it holds and who to sign in as, then serve the web UI."),
    "serve": ("serve", "serve", "Serve the web UI and the REST API (forwarded headers are believed only from "
                                "REVTEAM_TRUSTED_PROXIES)."),
    "tick": ("jobs", "tick", "Run every job that is due, once, and exit."),
    "worker": ("jobs", "worker", "Run due jobs continuously until SIGTERM or Ctrl-C (finishing the job in hand)."),
    "playbook": ("playbook", "app", "The shared playbook: one definition for everyone."),
    "users": ("users", "app", "Users, roles, teams, pods and API tokens."),
    "import": ("imports", "app", "Bulk imports."),
    "export": ("export", "app", "Exports: leads (csv, salesforce, hubspot) accounts and customers, filtered as their lists."),
    "leads": ("leads", "app", "Leads: list, show, and (with the lead flow) act on them."),
    "opps": ("revenue", "opps", "Opportunities: open from an accepted lead, close won or lost."),
    "customers": ("revenue", "customers", "Customers: subscriptions, MRR, handoff promises, health."),
    "metrics": ("metrics", "app", "Metrics as the playbook defines them."),
    "jobs": ("jobs", "app", "Timed work: SLA expiries, escalations, next cultivation steps."),
    "forms": ("forms", "app", "Website forms (public capture endpoints)."),
    "accounts": ("accounts", "app", "Accounts: buying-committee coverage of target accounts, committee roles."),
    "cultivation": ("cultivation", "app", "Cultivation tracks: who is in which track and at which step."),
    "survey": ("survey", "app", "The alignment survey: rounds, answers and results."),
    "comp": ("comp", "app", "Compensation: statements explained line by line, closing months, what-if plans."),
    "scoring": ("scoring", "app", "Predictive scoring: train on the closed leads, backtest, predict, explain."),
    "people": ("people", "app", "People: suppress one, so that no touch reaches them any more."),
    "tasks": ("tasks", "app", "Owner tasks from cultivation tracks: list what is open, mark one done."),
}


def load_command(name: str):
    """The real command: its module imported now, its help the table's."""
    module, attribute, help_text = COMMANDS[name]
    target = getattr(importlib.import_module(f"revteam.cli.{module}"), attribute)
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.help = help_text
    return command


class LazyCommands(LightGroup):
    """Lists the commands from the table; imports one only to run it (or show its own help)."""

    listing = False

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in COMMANDS:
            return None
        if self.listing:
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name][2])
        return with_light_values(load_command(cmd_name), ctx)

    def format_help(self, ctx, formatter) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False


app = typer.Typer(
    name="revteam", cls=LazyCommands, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="One revenue team: leads, customers and honest metrics shared by marketing, sales and success.",
)


@app.callback()
def _use_database(db: DbOption = None) -> None:
    """`--db` here applies to whichever command follows; a command's own `--db` still wins.

    The settings are read (and a bad one stops the command, caught in `run`) by the commands that use
    them: every one that opens a database or serves. A help, or `playbook validate`, reads none."""
    if db:
        from revteam.config import use_database

        use_database(db)


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.exit(code)


def _known_failure(error: Exception) -> tuple[str, int] | None:
    """A bad setting or a database refusal as one line and an exit code; None for anything else.
    (Imported here, on the failure path, so a light command never loads SQLAlchemy for it.)"""
    from sqlalchemy.exc import IntegrityError, OperationalError

    from revteam.config import InvalidSettings

    if isinstance(error, InvalidSettings):
        return str(error), 2
    if isinstance(error, OperationalError):
        return f"database error: {error.orig}", 2
    if isinstance(error, IntegrityError):
        from revteam.db.races import lost_race

        conflict = lost_race(error)
        if conflict is None:  # a bug: its traceback, for the report
            traceback.print_exc()
            return "internal error (the traceback above); nothing was saved", 1
        return str(conflict), conflict.exit_code
    return None


def run() -> None:
    """Entry point: domain errors become one line on stderr and an exit code, never a traceback.

    Usage errors (a missing argument, a bad option) are Typer's own: it prints them with the
    command's usage and exits 2.
    """
    try:
        app()
    except RevteamError as error:
        _fail(str(error), error.exit_code)
    except Exception as error:
        failure = _known_failure(error)
        if failure is None:
            raise
        _fail(*failure)
