"""`revteam playbook ...`: validate, diff, activate, show versions, simulate a draft.

Validate and diff read files only, so the database and the domains load inside the commands that use them."""

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from revteam.cli.common import DbOption, JsonOption, console, database_session, open_database, print_json, sub_app

app = sub_app()
FileArgument = Annotated[Path, typer.Argument(help="A playbook YAML file.")]


@app.command("validate")
def validate(file: FileArgument) -> None:
    """Check a playbook file; exit 2 with file:line: key: problem for each error."""
    from revteam.playbook.loader import load_playbook_file

    playbook = load_playbook_file(file)
    console.print(f"{file}: valid playbook {playbook.name!r}")


@app.command("diff")
def diff(old: FileArgument, new: FileArgument) -> None:
    """Show what changes between two playbook files."""
    from revteam.playbook.diff import diff_playbooks, format_changes
    from revteam.playbook.loader import load_playbook_file

    changes = diff_playbooks(load_playbook_file(old), load_playbook_file(new))
    for line in format_changes(changes) or ["no changes"]:
        console.print(line, markup=False)


@app.command("activate")
def activate(file: FileArgument, db: DbOption = None) -> None:
    """Store a playbook version and make it the one in force."""
    from revteam.db.base import utcnow
    from revteam.leads.scoring.rescoring import rescore_open_leads
    from revteam.playbook import versions
    from revteam.playbook.loader import load_playbook_file

    load_playbook_file(file)
    text = file.read_text(encoding="utf-8")
    with database_session(db) as session:
        version, changed = versions.activate(session, text, source=str(file), actor="cli")
        rescored = rescore_open_leads(session, now=utcnow(), actor="cli") if changed else 0
    console.print(f"playbook version {version.id} {'activated' if changed else 'was already active'}"
                  + (f"; {rescored:,} open leads re-scored" if changed else ""))


@app.command("versions")
def list_versions(db: DbOption = None) -> None:
    """List stored playbook versions."""
    from revteam.playbook import versions

    with database_session(db) as session:
        for version in versions.list_versions(session):
            marker = "*" if version.active else " "
            console.print(f"{marker} {version.id:>3}  {version.hash[:12]}  {version.created_at:%Y-%m-%d %H:%M}  {version.name}")


@app.command("show")
def show(version: Annotated[int | None, typer.Option("--version", metavar="N", help="A stored version id (default: the active one).")] = None,
         db: DbOption = None) -> None:
    """Print a stored playbook version as YAML, as it was written (a draft starts from it)."""
    from revteam.db.read_only import read_only_scope
    from revteam.playbook import versions

    with read_only_scope(open_database(db)) as session:
        _, text = versions.version_text(session, version)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command("simulate")
def simulate(draft: FileArgument,
             since: Annotated[str | None, typer.Option("--since", metavar="Nd", help="The last N days (default 30d).")] = None,
             first: Annotated[datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First day (UTC).")] = None,
             last: Annotated[datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day (UTC), included.")] = None,
             weight: Annotated[list[str] | None, typer.Option("--weight", metavar="EMAIL=N", help="A rep's round-robin weight under the draft (repeatable).")] = None,
             db: DbOption = None, as_json: JsonOption = False) -> None:
    """Replay the window's leads under DRAFT beside the active playbook; writes nothing."""
    from revteam.db.base import utcnow
    from revteam.db.read_only import read_only_scope
    from revteam.playbook.loader import load_playbook_file
    from revteam.simulation.service import simulate as replay, window
    from revteam.simulation.summary import summary_lines

    load_playbook_file(draft)
    start, end = window(since=since, first=first and first.date(), last=last and last.date(), now=utcnow())
    with read_only_scope(open_database(db)) as session:
        result = replay(session, draft_text=draft.read_text(encoding="utf-8"), source=str(draft), start=start,
                        end=end, weights=_weights(weight or []))
    if as_json:
        print_json(result)
        return
    for line in summary_lines(result):
        console.print(line, markup=False)


def _weights(options: list[str]) -> dict[str, int]:
    weights = {}
    for option in options:
        email, _, number = option.partition("=")
        if not email or not number.isdigit() or int(number) < 1:
            raise typer.BadParameter(f"write EMAIL=N with N at least 1, not {option!r}", param_hint="--weight")
        weights[email] = int(number)
    return weights
