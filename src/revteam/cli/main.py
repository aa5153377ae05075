"""The `revteam` command: thin sub-apps per domain, one place mapping errors to exit codes."""

import sys

import typer
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError, OperationalError

from revteam.cli import demo, forms, imports, leads, playbook, setup, users
from revteam.cli import jobs
from revteam.cli import serve
from revteam.cli import metrics, revenue
from revteam.cli import cultivation
from revteam.cli.common import DbOption
from revteam.config import describe_invalid, get_settings, use_database
from revteam.errors import Conflict, RevteamError

app = typer.Typer(
    name="revteam", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="One revenue team: leads, customers and honest metrics shared by marketing, sales and success.",
)


@app.callback()
def _check_settings(db: DbOption = None) -> None:
    """Read the settings before any command runs, so a bad one stops it at once (caught in `run`).

    `--db` here applies to whichever command follows; a command's own `--db` still wins."""
    if db:
        use_database(db)
    get_settings()


app.command("init")(setup.init)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.add_typer(playbook.app, name="playbook")
app.add_typer(users.app, name="users")
app.add_typer(imports.app, name="import")
app.add_typer(leads.app, name="leads")
app.add_typer(revenue.opps, name="opps")
app.add_typer(revenue.customers, name="customers")
app.add_typer(metrics.app, name="metrics")
app.command("tick")(jobs.tick)
app.command("worker")(jobs.worker)
app.add_typer(jobs.app, name="jobs")
app.add_typer(forms.app, name="forms")
app.add_typer(cultivation.app, name="cultivation")


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.exit(code)


def run() -> None:
    """Entry point: domain errors become one line on stderr and an exit code, never a traceback.

    Usage errors (a missing argument, a bad option) are Typer's own: it prints them with the
    command's usage and exits 2.
    """
    try:
        app()
    except RevteamError as error:
        _fail(str(error), error.exit_code)
    except ValidationError as error:
        if error.title != "Settings":
            raise
        _fail(describe_invalid(error), 2)
    except OperationalError as error:
        _fail(f"database error: {error.orig}", 2)
    except IntegrityError as error:
        _fail(f"conflict with a concurrent change, nothing was saved: {error.orig}", Conflict.exit_code)
