"""`revteam tick`, `revteam worker` and `revteam jobs list`: timed work kept in the database."""

import os
import signal
import socket
import threading
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import DbOption, JsonOption, console, open_database, print_json
from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.errors import BadInput
from revteam.jobs import runner, service

app = typer.Typer(no_args_is_help=True)  # its help: COMMANDS in main.py

NowOption = Annotated[
    str | None,
    typer.Option("--now", metavar="ISO-TIME",
                 help="Pretend it is this time (e.g. 2026-01-05T10:00:00Z); default: now."),
]


def moment_or_now(value: str | None) -> datetime:
    if value is None:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(f"not an ISO time: {value!r} (e.g. 2026-01-05T10:00:00Z)", where="--now") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def say(summary: runner.RunSummary) -> str:
    noun = "job" if summary.ran == 1 else "jobs"
    return f"ran {summary.ran} {noun}, {summary.retried} to retry, {summary.failed} failed for good"


def tick(
    now: NowOption = None,
    limit: Annotated[int | None, typer.Option(help="Run at most this many jobs.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run every job that is due, once, and exit."""
    summary = runner.run_due(open_database(db), now=moment_or_now(now), worker_id=worker_id(), limit=limit)
    if as_json:
        print_json({"ran": summary.ran, "retried": summary.retried, "failed": summary.failed})
        return
    console.print(say(summary))


def worker(
    interval: Annotated[float, typer.Option(help="Seconds to wait when nothing is due.")] = 5.0,
    once: Annotated[bool, typer.Option("--once", help="Run what is due now and exit.")] = False,
    db: DbOption = None,
) -> None:
    """Run due jobs continuously until SIGTERM or Ctrl-C (finishing the job in hand)."""
    engine = open_database(db)
    stop = threading.Event()
    if once:
        stop.set()
        summary = runner.run_due(engine, now=utcnow(), worker_id=worker_id())
    else:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        console.print(f"worker {worker_id()} running every {interval:g} s; stop with Ctrl-C")
        summary = runner.run_until_stopped(engine, worker_id=worker_id(), interval=interval, stop=stop)
    console.print(f"worker stopped: {say(summary)}")


@app.command("list")
def list_(
    kind: Annotated[str | None, typer.Option(help="Only jobs of this kind.")] = None,
    now: NowOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show unfinished and dead jobs, soonest first, with when they are due."""
    moment = moment_or_now(now)
    with session_scope(open_database(db)) as session:
        rows = [
            {"id": job.id, "kind": job.kind, "state": job.state, "run_at": job.run_at.isoformat(),
             "due": service.due_in_words(job.run_at, now=moment), "attempts": job.attempts,
             "dedupe_key": job.dedupe_key, "last_error": job.last_error}
            for job in service.pending(session, kind=kind)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "kind", "state", "due", "run at (UTC)", "attempts", "last error")
    for row in rows:
        due = row["due"] if row["state"] == "due" else row["state"]
        table.add_row(str(row["id"]), row["kind"], row["state"], due, row["run_at"][:16].replace("T", " "),
                      str(row["attempts"]), (row["last_error"] or "")[:60])
    console.print(table if rows else "no jobs due")
