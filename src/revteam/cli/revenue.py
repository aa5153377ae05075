"""`revteam opps ...` and `revteam customers ...`: deals, customers, promises and health."""

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import DbOption, JsonOption, console, database_session, print_json, sub_app
from revteam.errors import BadInput
from revteam.revenue.signals import SUCCESS_SIGNALS

opps = sub_app()
customers = sub_app()
promise = sub_app(help="Success confirms or disputes what sales promised.")
customers.add_typer(promise, name="promise")

SIGNAL_HELP = f"NAME=VALUE (repeat); names: {', '.join(SUCCESS_SIGNALS)}."
ActorOption = Annotated[str, typer.Option(
    "--as", metavar="EMAIL", help="Who acts: a user, whose rights apply (default: the database's operator).")]
OPERATOR = "cli"


def _acting_user(session, actor: str):
    """The user named by --as, whose rights apply; None for the operator (no --as)."""
    from revteam.users.service import get_user_by_email

    return None if actor == OPERATOR else get_user_by_email(session, actor)


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"not a date: {text!r} (use YYYY-MM-DD)", where=where) from None


def _money(text: str, where: str) -> int:
    from revteam.revenue.rows import parse_money

    try:
        return parse_money(text)
    except BadInput as error:
        raise BadInput(str(error), where=where) from None


@opps.command("open")
def open_(lead_id: int, amount: Annotated[str, typer.Option(help="Deal amount, e.g. 14400.00.")],
          close: Annotated[str, typer.Option(help="Expected close date YYYY-MM-DD.")],
          actor: ActorOption = OPERATOR, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Open the opportunity of an accepted lead."""
    from revteam.revenue import service
    from revteam.revenue.schemas import OpportunityOut

    with database_session(db) as session:
        if user := _acting_user(session, actor):
            service.require_deal_owner(session, user, lead_id=lead_id, action="open an opportunity on")
        opportunity = service.open_opportunity(session, lead_id=lead_id, amount_minor=_money(amount, "--amount"),
                                               expected_close=_day(close, "--close"), actor=actor)
        out = OpportunityOut.model_validate(opportunity).model_dump(mode="json")
    print_json(out) if as_json else console.print(f"opened opportunity {out['id']} for lead {lead_id}")


@opps.command("won")
def won(opportunity_id: int, plan: Annotated[str, typer.Option(help="Plan name.")],
        seats: Annotated[int, typer.Option(help="Seats sold.")],
        mrr: Annotated[str, typer.Option(help="Monthly recurring revenue, e.g. 1200.50.")],
        term: Annotated[int, typer.Option(help="Term in months: 1 monthly, 12 annual, 24...")],
        start: Annotated[str, typer.Option(help="First day of the subscription, YYYY-MM-DD.")],
        promised: Annotated[list[str] | None, typer.Option("--promise", help="What sales promised (repeat).")] = None,
        success_plan: Annotated[str | None, typer.Option(help="The plan for the customer's success.")] = None,
        actor: ActorOption = OPERATOR, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Close won: the customer, its subscription and the handoff to success."""
    from revteam.revenue import service

    with database_session(db) as session:
        if user := _acting_user(session, actor):
            service.require_opportunity_owner(session, user, opportunity_id=opportunity_id, action="close as won")
        made = service.close_won(session, opportunity_id=opportunity_id, plan=plan, seats=seats,
                                 mrr_minor=_money(mrr, "--mrr"), term_months=term, start=_day(start, "--start"),
                                 promises=promised or [], actor=actor, success_plan=success_plan)
        out = {"opportunity_id": opportunity_id, "account_id": made.account_id, "handoff_id": made.id}
    print_json(out) if as_json else console.print(
        f"won opportunity {opportunity_id}: customer account {out['account_id']}, handoff {out['handoff_id']}")


@opps.command("lost")
def lost(opportunity_id: int, reason: Annotated[str, typer.Option(help="A lost reason code of the playbook.")],
         actor: ActorOption = OPERATOR, db: DbOption = None) -> None:
    """Close lost with a reason."""
    from revteam.revenue import service

    with database_session(db) as session:
        if user := _acting_user(session, actor):
            service.require_opportunity_owner(session, user, opportunity_id=opportunity_id, action="close as lost")
        service.close_lost(session, opportunity_id=opportunity_id, reason=reason, actor=actor)
    console.print(f"lost opportunity {opportunity_id} ({reason})")


def _print_customer(view: dict) -> None:
    account = view["account"]
    console.print(f"[bold]{account['name']}[/] ({account['domain'] or '-'}), account {account['id']}: "
                  f"MRR {view['mrr_minor'] / 100:,.2f}")
    table = Table("subscription", "plan", "MRR", "seats", "term", "since", "renews")
    for s in view["subscriptions"]:
        table.add_row(s["key"], s["plan"] or "", f"{s['mrr_minor'] / 100:,.2f}", str(s["seats"]),
                      str(s["term_months"] or ""), s["first_date"] or "", s["renewal_date"] or "ended")
    console.print(table)
    for move in view["mrr_history"]:
        console.print(f"  {move['date']}  {move['movement']:<12} {move['amount'] / 100:>12,.2f}  "
                      f"-> MRR {move['mrr_minor'] / 100:,.2f}", markup=False)
    for made in view["handoffs"]:
        plan = made["success_plan"] or "no success plan"
        console.print(f"handoff {made['id']} from {made['sold_by'] or '-'}: {plan}")
        for p in made["promises"]:
            console.print(f"  [{p['id']}] {p['status']:<9} {p['text']}", markup=False)
    h = view["health"]
    if h:
        risk = f"AT RISK ({h['risk']})" if h["at_risk"] else (h["risk"] or "healthy")
        console.print(f"health: success {h['success']}, happiness {h['happiness']}: {risk}")


@customers.command("show")
def show(account: str, db: DbOption = None, as_json: JsonOption = False) -> None:
    """A customer by id, domain or name: subscriptions, MRR history, promises, health."""
    from revteam.revenue import queries

    with database_session(db) as session:
        view = queries.customer_view(session, account)
    print_json(view) if as_json else _print_customer(view)


@promise.command("confirm")
def confirm(promise_id: int, actor: ActorOption, note: Annotated[str | None, typer.Option()] = None,
            db: DbOption = None) -> None:
    """Confirm that a promise made at the sale holds (success users)."""
    from revteam.revenue import handoff

    with database_session(db) as session:
        handoff.confirm_promise(session, promise_id=promise_id, actor=actor, note=note)
    console.print(f"promise {promise_id} confirmed")


@promise.command("dispute")
def dispute(promise_id: int, actor: ActorOption,
            note: Annotated[str | None, typer.Option(help="Why the promise does not hold (required).")] = None,
            db: DbOption = None) -> None:
    """Dispute a promise, saying why; it counts on the rep's and the source's scorecard (success users)."""
    from revteam.revenue import handoff

    with database_session(db) as session:
        handoff.dispute_promise(session, promise_id=promise_id, actor=actor, note=note)
    console.print(f"promise {promise_id} disputed")


def _signals(pairs: list[str]) -> dict:
    signals = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if value.lower() in ("true", "false"):
            signals[name.strip()] = value.lower() == "true"
            continue
        try:
            signals[name.strip()] = float(value)
        except ValueError:
            raise BadInput(f"{pair!r} is not NAME=NUMBER or NAME=true/false", where="--signal") from None
    return signals


@customers.command("health")
def record_health(account: str, actor: ActorOption,
                  signal: Annotated[list[str] | None, typer.Option(help=SIGNAL_HELP)] = None,
                  nps: Annotated[float | None, typer.Option(help="Likelihood to recommend, 0-10.")] = None,
                  sentiment: Annotated[float | None, typer.Option(help="Sentiment, -1 to 1.")] = None,
                  db: DbOption = None, as_json: JsonOption = False) -> None:
    """Record a health reading: success signals apart from happiness."""
    from revteam.leads.access import require_customer_writer
    from revteam.revenue import health, queries

    happiness = {k: v for k, v in (("nps", nps), ("sentiment", sentiment)) if v is not None}
    with database_session(db) as session:
        user = _acting_user(session, actor)
        found = queries.find_account(session, account, viewer=user)
        if user:
            require_customer_writer(session, user, what=f"record the health of {found.name}")
        check = health.record_health(session, account_id=found.id, success_signals=_signals(signal or []),
                                     happiness=happiness, actor=actor)
        out = {"account_id": found.id, "success": check.success_score, "happiness": check.happiness_score,
               "at_risk": check.at_risk, "risk": check.risk}
    risk = f": AT RISK ({out['risk']})" if out["at_risk"] else ""
    print_json(out) if as_json else console.print(f"success {out['success']}, happiness {out['happiness']}{risk}")
