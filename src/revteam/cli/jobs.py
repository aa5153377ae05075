"""`revteam tick`, `revteam worker` and `revteam jobs list`: timed work kept in the database."""

import os
import signal
import socket
import threading
from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import (
    DbOption, JsonOption, NowOption, console, database_session, moment_or_now, open_database, print_json, sub_app,
)
from revteam.errors import BadInput

app = sub_app()


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def say(summary) -> str:
    """A run's summary (`runner.RunSummary`) in words."""
    noun = "job" if summary.ran == 1 else "jobs"
    return f"ran {summary.ran} {noun}, {summary.retried} to retry, {summary.failed} failed for good"


def tick(
    now: NowOption = None,
    limit: Annotated[int | None, typer.Option(help="Run at most this many jobs.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes running the due jobs at once (not with --limit).")] = 1,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run every job that is due, once, and exit."""
    from revteam.jobs import processes, runner
    from revteam.jobs.outcomes import RunSummary

    engine, moment = open_database(db), moment_or_now(now)
    if workers > 1 and limit is not None:
        raise BadInput("--limit counts the jobs of one worker: leave out --workers", where="--limit")
    if limit is None:
        summary = RunSummary.of(processes.run_due_in_processes(engine, now=moment, worker_id=worker_id(),
                                                               workers=workers))
    else:
        summary = runner.run_due(engine, now=moment, worker_id=worker_id(), limit=limit)
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
    from revteam.jobs import runner

    engine = open_database(db)
    stop = threading.Event()
    if once:
        stop.set()
        summary = runner.run_due(engine, now=moment_or_now(None), worker_id=worker_id())
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
    from revteam.jobs import service

    moment = moment_or_now(now)
    with database_session(db) as session:
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
