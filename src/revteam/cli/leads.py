"""`revteam leads ...`: look at leads and their whole story."""

from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import DbOption, JsonOption, console, open_database, print_json
from revteam.db.session import session_scope
from revteam.leads import service

app = typer.Typer(no_args_is_help=True, help="Leads: list, show, and (with the lead flow) act on them.")


def _print_story(story: dict) -> None:
    person, account = story["person"], story["account"]
    console.print(f"[bold]lead {story['id']}[/] {person['name'] or person['email']} — {story['state']}, "
                  f"score {story['score']} (fit {story['fit_score']} + engagement {story['engagement_score']}), "
                  f"owner {story['owner'] or '-'}, account {account['name'] if account else '-'}")
    explanation = story["score_explanation"]
    if explanation:
        for line in explanation["lines"]:
            console.print(f"  {line['points']:+4d}  {line['kind']:<10} {line['rule']}", markup=False)
    table = Table("at", "event", "actor", "playbook", "details")
    for event in story["events"]:
        details = ", ".join(f"{k}={v}" for k, v in event["data"].items() if k != "lines")
        table.add_row(event["at"][:19], event["type"], event["actor"], str(event["playbook_version"]), details)
    console.print(table)


@app.command("show")
def show(lead_id: int, db: DbOption = None, as_json: JsonOption = False) -> None:
    """A lead's timeline, score explanation, person and account."""
    with session_scope(open_database(db)) as session:
        story = service.lead_story(session, lead_id)
    if as_json:
        print_json(story)
    else:
        _print_story(story)


@app.command("list")
def list_(
    state: Annotated[str | None, typer.Option(help="Only leads in this state.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only leads owned by this e-mail.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 100,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List leads, newest first."""
    with session_scope(open_database(db)) as session:
        leads = service.list_leads(session, state=state, owner=owner, limit=limit)
    if as_json:
        print_json(leads)
        return
    table = Table("id", "state", "score", "owner", "email", "account", "source", "created")
    for lead in leads:
        table.add_row(str(lead["id"]), lead["state"], str(lead["score"]), lead["owner"] or "", lead["email"] or "",
                      lead["account"] or "", lead["source"] or "", lead["created_at"][:10])
    console.print(table)
