"""`revteam leads ...`: look at leads and their whole story."""

from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import (
    DbOption, JsonOption, NowOption, console, database_session, moment_or_now, print_json, print_rows, sub_app,
)
from revteam.errors import BadInput

app = sub_app()


def _print_story(story: dict) -> None:
    from revteam.leads import event_words

    person, account = story["person"], story["account"]
    console.print(f"[bold]lead {story['id']}[/] {person['name'] or person['email']} — {story['state']}, "
                  f"score {story['score']} (fit {story['fit_score']} + engagement {story['engagement_score']}), "
                  f"owner {story['owner'] or '-'}, account {account['name'] if account else '-'}")
    explanation = story["score_explanation"]
    if explanation:
        for line in explanation["lines"]:
            console.print(f"  {line['points']:+4d}  {line['kind']:<10} {line['rule']}", markup=False)
    table = Table("at", "what happened", "who", "playbook", "details")
    for event in story["events"]:
        details = "; ".join(f"{label}: {value}" for label, value in event_words.details(event["data"]))
        table.add_row(event["at"][:16].replace("T", " "), event_words.phrase(event["type"], event["data"]),
                      event["actor"], str(event["playbook_version"] or "-"), details)
    console.print(table, markup=False)
    if story["graduation"]:
        _print_package(story["graduation"])


def _print_package(package: dict) -> None:
    """The history package of a graduated lead: what marketing did before it reached sales."""
    track = package["track_name"] or package["track"] or "no track"
    console.print(f"[bold]graduated[/] {package['graduated_at'][:16].replace('T', ' ')} from {track}")
    frozen = package["frozen_at"]
    console.print(f"  package frozen at graduation, {frozen[:16].replace('T', ' ')}" if frozen
                  else "  package built from the records as they are now (graduated before packages were kept)",
                  markup=False)
    for criterion in package["criteria"]:
        note = f": {criterion['note']}" if criterion["note"] else ""
        console.print(f"  {criterion['criterion']} confirmed by {criterion['by']} "
                      f"{criterion['confirmed_at'][:10]}{note}", markup=False)
    months = ", ".join(f"{m['month']} {m['touches']} touches/{m['points']} pts" for m in package["engagement_by_month"])
    console.print(f"  engagement by month: {months or '-'}", markup=False)
    scores = " → ".join(str(score["score"]) for score in package["score_history"])
    console.print(f"  score history: {scores or '-'}", markup=False)
    committee = package["committee"]
    if committee:
        console.print(f"  committee: known {', '.join(committee['known']) or '-'}; engaged "
                      f"{', '.join(committee['engaged']) or '-'}; missing {', '.join(committee['missing']) or '-'}",
                      markup=False)
        for person in committee["people"]:
            console.print(f"    {person['name'] or person['email']} ({person['title'] or '-'}): "
                          f"{person['role'] or 'no role'}{', engaged' if person['engaged'] else ''}", markup=False)
    for rejection in package["rejections"]:
        note = f" — {rejection['note']}" if rejection["note"] else ""
        console.print(f"  rejected {(rejection['at'] or '')[:10]} by {rejection['rep']}: "
                      f"{rejection['reason_label']}{note}", markup=False)


# Options are checked by the flow rather than by Click, so a missing one is one `error:` line, exit 2.
AsOption = Annotated[str | None, typer.Option("--as", metavar="EMAIL", help="Act as this user (their rights apply).")]
ViewerOption = Annotated[str | None, typer.Option(
    "--as", metavar="EMAIL", help="See what this user may see (default: everything, as the database's operator).")]


def _viewer(session, email: str | None):
    if not email:
        return None
    from revteam.users.service import get_user_by_email

    return get_user_by_email(session, email)


@app.command("show")
def show(lead_id: int, as_: ViewerOption = None, now: NowOption = None, db: DbOption = None,
         as_json: JsonOption = False) -> None:
    """A lead's timeline, score explanation, person and account; a graduated lead's history package."""
    from revteam.cultivation.package import graduation_package
    from revteam.leads import service

    with database_session(db) as session:
        viewer = _viewer(session, as_)
        story = service.visible_story(session, lead_id=lead_id, actor=viewer) if viewer else service.lead_story(session, lead_id)
        story["graduation"] = graduation_package(session, lead_id, viewer=viewer, now=moment_or_now(now))
    if as_json:
        print_json(story)
    else:
        _print_story(story)


@app.command("list")
def list_(
    state: Annotated[str | None, typer.Option(help="Only leads in this state.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only leads owned by this e-mail.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 100,
    as_: ViewerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List leads, newest first."""
    from revteam.leads import service

    with database_session(db) as session:
        leads = service.list_leads(session, viewer=_viewer(session, as_), state=state, owner=owner, limit=limit)
    print_rows(leads, as_json, ("id", "state", "score", "owner", "email", "account", "source", "created"),
               lambda lead: (str(lead["id"]), lead["state"], str(lead["score"]), lead["owner"] or "", lead["email"] or "",
                             lead["account"] or "", lead["source"] or "", lead["created_at"][:10]))


def _act(db: str | None, as_json: bool, action: str, **kwargs) -> None:
    """Run the flow action of that name (revteam/leads/flow/actions.py) as `--as` in one transaction,
    then print the lead's new status."""
    from revteam.db.base import utcnow
    from revteam.leads.flow import actions as flow
    from revteam.users.service import get_user_by_email

    with database_session(db) as session:
        email = kwargs.pop("actor_email")
        if not email:
            raise BadInput("say who acts: --as EMAIL", where="--as")
        actor = get_user_by_email(session, email)
        getattr(flow, action)(session, actor=actor, now=utcnow(), **kwargs)
        status = flow.lead_status(session, kwargs["lead_id"])
    if as_json:
        print_json(status.model_dump(mode="json"))
        return
    offer = status.offer
    detail = ""
    if offer:
        detail = f", offer {offer.id} ({offer.stage}, {offer.outcome}, accept by {offer.accept_by:%Y-%m-%d %H:%M} UTC)"
    console.print(f"lead {status.id}: {status.state}, owner {status.owner or '-'}{detail}", markup=False)


@app.command("route")
def route(lead_id: int, as_: AsOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Route a lead to the rep the playbook's rules pick."""
    _act(db, as_json, "route_lead", lead_id=lead_id, actor_email=as_)


@app.command("accept")
def accept(lead_id: int, as_: AsOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Accept a lead offered to you."""
    _act(db, as_json, "accept_lead", lead_id=lead_id, actor_email=as_)


@app.command("reject")
def reject(
    lead_id: int,
    as_: AsOption = None,
    reason: Annotated[str | None, typer.Option(help="A reject reason code from the playbook (required).")] = None,
    note: Annotated[str | None, typer.Option(help="Why, in your words.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject a lead offered to you, with a reason code."""
    _act(db, as_json, "reject_lead", lead_id=lead_id, actor_email=as_, reason=reason, note=note)


@app.command("evaluate")
def evaluate(
    lead_id: int,
    as_: AsOption = None,
    to: Annotated[str | None, typer.Option(help="cultivation or reroute (default: the reject reason's).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Evaluate a rejected lead: back to cultivation, or to another rep (fair game)."""
    _act(db, as_json, "evaluate_lead", lead_id=lead_id, actor_email=as_, to=to)


@app.command("handoff")
def handoff(lead_id: int, as_: AsOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Assembly line: hand an accepted, qualified lead to an account executive."""
    _act(db, as_json, "handoff_lead", lead_id=lead_id, actor_email=as_)


@app.command("touch")
def touch(lead_id: int, as_: AsOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Record a contact with the lead (the first one stops the first-touch clock)."""
    _act(db, as_json, "touch_lead", lead_id=lead_id, actor_email=as_)


@app.command("dispose")
def dispose(
    lead_id: int,
    as_: AsOption = None,
    outcome: Annotated[str | None, typer.Option(help="won, lost or not_a_lead (required).")] = None,
    reason: Annotated[str | None, typer.Option(help="A lost reason code (outcome lost).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Close an accepted lead as won, lost (with a reason) or not a lead."""
    _act(db, as_json, "dispose_lead", lead_id=lead_id, actor_email=as_, outcome=outcome, reason=reason)


@app.command("confirm")
def confirm(
    lead_id: int,
    criteria: Annotated[list[str], typer.Argument(help="SQL criteria confirmed (budget authority need timing).")],
    as_: AsOption = None,
    note: Annotated[str | None, typer.Option(help="What the buyer said, in your words.")] = None,
    now: NowOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confirm SQL criteria on a lead; a cultivated lead that now meets the playbook's graduation goes to sales."""
    from revteam.cultivation import graduation
    from revteam.leads.flow import actions as flow
    from revteam.users.service import get_user_by_email

    with database_session(db) as session:
        if not as_:
            raise BadInput("say who confirms: --as EMAIL", where="--as")
        answer = graduation.confirm_criteria(session, lead_id=lead_id, actor=get_user_by_email(session, as_),
                                             criteria=criteria, note=note, now=moment_or_now(now))
        status = flow.lead_status(session, lead_id)
    answer["state"], answer["owner"] = status.state, status.owner
    if as_json:
        print_json(answer)
        return
    outcome = f"graduated: {status.state}, owner {status.owner or '-'}" if answer["graduated"] else \
        "not graduated: " + ("; ".join(answer["missing"]) or f"lead is {status.state}")
    console.print(f"lead {lead_id}: confirmed {', '.join(answer['confirmed']) or '-'}; {outcome}", markup=False)


@app.command("route-ready")
def route_ready(
    limit: Annotated[int, typer.Option(help="At most this many leads.")] = 100,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Route the MQLs waiting for a rep, oldest first."""
    from revteam.db.base import utcnow
    from revteam.leads.flow import actions as flow

    with database_session(db) as session:
        counts = flow.route_ready_leads(session, now=utcnow(), limit=limit)
    if as_json:
        print_json(counts)
        return
    console.print(f"routed {counts['routed']}, {counts['waiting']} waiting for a free rep, "
                  f"{counts['conflicts']} changed meanwhile")
