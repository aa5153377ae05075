"""`revteam demo`: a fresh demo database, a summary of it, and (with the web UI) a server."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import collect_from_here, console
from revteam.errors import BadInput

DEMO_DATABASE_URL = "sqlite:///revteam-demo.db"


def _fresh_sqlite(url: str) -> None:
    """Remove an earlier demo file so every demo starts from nothing."""
    path = url.removeprefix("sqlite:///")
    if path and path != url:
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)


def demo(
    ctx: typer.Context,
    size: Annotated[str, typer.Option(help="small (seconds), medium or large (about a million leads).")] = "small",
    seed: Annotated[int, typer.Option(help="Same seed, same company.")] = 7,
    as_of: Annotated[str | None, typer.Option(help="Last day of the history, YYYY-MM-DD (default today).")] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build and summarize only.")] = False,
    host: Annotated[str, typer.Option(help="Address the web UI listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port the web UI listens on.")] = 8000,
    db: Annotated[str | None, typer.Option("--db", metavar="URL", help=f"Default {DEMO_DATABASE_URL} (rebuilt).")] = None,
) -> None:
    """Build a fresh demo database, print what it holds and who to sign in as, then serve the web UI."""
    from revteam.db.migrate import upgrade
    from revteam.db.session import get_engine, session_scope
    from revteam.demo.generator import SIZES, generate
    from revteam.cli.serve import serve
    from revteam.playbook.versions import ensure_default

    if size not in SIZES:
        raise BadInput(f"unknown size {size!r}: choose {', '.join(SIZES)}", where="--size")
    try:
        last_day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise BadInput(f"not a date: {as_of!r} (use YYYY-MM-DD)", where="--as-of") from None
    db = db or ctx.find_root().params.get("db")  # `revteam --db URL demo` names it too
    url = db or DEMO_DATABASE_URL
    if db is None:
        _fresh_sqlite(url)
    engine = get_engine(url)
    collect_from_here()
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    with console.status(f"generating the {size} demo company (seed {seed})..."):
        summary = generate(engine, size=size, seed=seed, as_of=last_day)
    table = Table("what", "how many", title=f"revteam demo: {url}")
    for label, value in summary.rows():
        table.add_row(label, value)
    console.print(table)
    _print_sign_ins(engine)
    if not no_serve:  # the history ends at midnight: the worker first runs what fell due since
        serve(host=host, port=port, job_worker=True, db=url)


def _print_sign_ins(engine) -> None:
    """One user per role to sign in with; they all share the demo password."""
    from revteam.db.session import session_scope
    from revteam.demo.plan import DEMO_PASSWORD
    from revteam.users.service import list_users

    with session_scope(engine) as session:
        first_per_role = {}
        for user in list_users(session):
            first_per_role.setdefault(user.sales_role or user.role, user.email)
    table = Table("role", "sign in as", title=f"demo users (password for all: {DEMO_PASSWORD})")
    for role, email in sorted(first_per_role.items()):
        table.add_row(role, email)
    console.print(table)
