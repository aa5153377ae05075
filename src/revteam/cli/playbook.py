"""`revteam playbook ...`: validate, diff, activate, show versions.

Validate and diff read files only, so the database and the domains load inside the commands that use them."""

from pathlib import Path
from typing import Annotated

import typer

from revteam.cli.options import DbOption, console
from revteam.playbook.diff import diff_playbooks, format_changes
from revteam.playbook.loader import load_playbook_file

app = typer.Typer(no_args_is_help=True)  # its help: COMMANDS in main.py
FileArgument = Annotated[Path, typer.Argument(help="A playbook YAML file.")]


@app.command("validate")
def validate(file: FileArgument) -> None:
    """Check a playbook file; exit 2 with file:line: key: problem for each error."""
    playbook = load_playbook_file(file)
    console.print(f"{file}: valid playbook {playbook.name!r}")


@app.command("diff")
def diff(old: FileArgument, new: FileArgument) -> None:
    """Show what changes between two playbook files."""
    changes = diff_playbooks(load_playbook_file(old), load_playbook_file(new))
    for line in format_changes(changes) or ["no changes"]:
        console.print(line, markup=False)


@app.command("activate")
def activate(file: FileArgument, db: DbOption = None) -> None:
    """Store a playbook version and make it the one in force."""
    from revteam.cli.common import open_database
    from revteam.db.base import utcnow
    from revteam.db.session import session_scope
    from revteam.leads.scoring.rescoring import rescore_open_leads
    from revteam.playbook import versions

    load_playbook_file(file)
    text = file.read_text(encoding="utf-8")
    with session_scope(open_database(db)) as session:
        version, changed = versions.activate(session, text, source=str(file), actor="cli")
        rescored = rescore_open_leads(session, now=utcnow(), actor="cli") if changed else 0
    console.print(f"playbook version {version.id} {'activated' if changed else 'was already active'}"
                  + (f"; {rescored:,} open leads re-scored" if changed else ""))


@app.command("versions")
def list_versions(db: DbOption = None) -> None:
    """List stored playbook versions."""
    from revteam.cli.common import open_database
    from revteam.db.session import session_scope
    from revteam.playbook import versions

    with session_scope(open_database(db)) as session:
        for version in versions.list_versions(session):
            marker = "*" if version.active else " "
            console.print(f"{marker} {version.id:>3}  {version.hash[:12]}  {version.created_at:%Y-%m-%d %H:%M}  {version.name}")
