"""The success lead's day: the customers list (MRR, plan, renewal, success and happiness apart, at
risk), a customer's page (subscriptions and MRR movements, the handoff's promises to confirm or
dispute, health history and a form to record health, the people) and its two forms.

What a page lists is what the user may see (`leads/access.py`); the forms are shown to the roles
that may write on customers, and every write is checked again by the domain."""

from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from revteam.clock import now
from revteam.errors import BadInput
from revteam.inputs import Day, Id, Line, Lines
from revteam.leads import queries as lead_queries
from revteam.leads.access import may_write_customers, require_customer_writer, require_visible_account
from revteam.metrics.scorecard import kept_among
from revteam.periods import Period
from revteam.revenue import handoff, health
from revteam.exports.csv_table import csv_lines
from revteam.revenue.customers import (
    CUSTOMER_COLUMNS, PAGE_SIZE, CustomerFilters, Outcome, Sort, Status, customer_page, customer_rows, export_rows,
    parse_cursor,
)
from revteam.revenue.queries import customer_view
from revteam.users.models import User
from revteam.web.auth import PageSession, PageUser
from revteam.web.templating import csv_response, render

router = APIRouter()
SWAP_CUSTOMER = {"HX-Retarget": "#customer", "HX-Reswap": "outerHTML", "HX-Reselect": "#customer"}
Share = Annotated[float, Form(ge=0, le=100)]


def _filters(request: Request, status: Status, plan: str | None, at_risk: bool | None, renews_by: date | None,
             outcome: Outcome | None, eligible: bool, sort: Sort) -> CustomerFilters:
    params = request.query_params
    cohort = (Period.parse(params.get("cohort_from"), params.get("cohort_to"))
              if params.get("cohort_from") or params.get("cohort_to") else None)
    return CustomerFilters(status=status, plan=plan, at_risk=at_risk, renews_by=renews_by, cohort=cohort,
                           outcome=outcome, eligible=eligible, sort=sort)


def customer_selection(request: Request, session: PageSession, status: Status = "paying", plan: Line | None = None,
                       at_risk: bool | None = None, renews_by: Day | None = None, outcome: Outcome | None = None,
                       eligible: bool = False, sort: Sort = "mrr", kept: bool = False, team: Line | None = None,
                       pod: Line | None = None, rep: Line | None = None) -> CustomerFilters:
    filters = _filters(request, status, plan, at_risk, renews_by, outcome, eligible, sort)
    if not kept:
        return filters
    period = Period.parse(request.query_params.get("from"), request.query_params.get("to"))
    group = {by: name for by, name in (("team", team), ("pod", pod), ("rep", rep)) if name}
    return replace(filters, among=kept_among(session, period, **group))  # the scorecard's customers kept


Selection = Annotated[CustomerFilters, Depends(customer_selection)]


@router.get("/customers")
def customer_list(request: Request, session: PageSession, user: PageUser, filters: Selection,
                  after: Line | None = None) -> Response:
    """The customers the user may see, filtered and sorted, one keyset page at a time."""
    found = customer_page(session, viewer=user, filters=filters, today=now(request).date(),
                          after=parse_cursor(after, filters.sort), limit=PAGE_SIZE)
    next_page = str(request.url.include_query_params(after=found["next"])) if found["next"] else None
    shown = {k: v for k, v in request.query_params.items() if v and k != "after"}
    export = "/customers/export.csv" + (f"?{urlencode(shown)}" if shown else "")
    return render(request, "customers.html", {"title": "Customers", **found, "filters": shown, "export": export,
                                              "chosen": filters, "next_page": next_page, "paged": bool(after)})


@router.get("/customers/export.csv")
def customer_export(request: Request, session: PageSession, user: PageUser, filters: Selection) -> Response:
    """The whole customer list the same filter selects, as CSV."""
    rows = customer_rows(session, viewer=user, filters=filters, today=now(request).date())
    return csv_response("".join(csv_lines(export_rows(rows), CUSTOMER_COLUMNS)), "customers.csv")


def _customer_context(request: Request, session: Session, user: User, account_id: int) -> dict[str, Any]:
    account = require_visible_account(session, user, account_id)
    view = customer_view(session, str(account.id), viewer=user, today=now(request).date())
    return {"title": account.name, "customer": view, "account": account,
            "people": lead_queries.account_people(session, account.id, viewer=user),
            "may_write": may_write_customers(session, user)}


def _answer(request: Request, session: Session, user: User, account_id: int, message: str) -> Response:
    """The customer page after a write, with its message in the flash area."""
    session.flush()
    context = {**_customer_context(request, session, user, account_id), "message": message}
    return render(request, "customer.html", context, headers=SWAP_CUSTOMER)


def _answer_number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise BadInput(f"{text!r} is not a number from 0 to 10", where="nps") from None


@router.get("/customers/{account_id}")
def customer(request: Request, session: PageSession, user: PageUser, account_id: Id) -> Response:
    return render(request, "customer.html", _customer_context(request, session, user, account_id))


@router.post("/customers/{account_id}/promises/{promise_id}/{decision}")
def decide_promise(request: Request, session: PageSession, user: PageUser, account_id: Id, promise_id: Id,
                   decision: Literal["confirm", "dispute"],
                   note: Annotated[Lines, Form(max_length=2000)] = "") -> Response:
    require_visible_account(session, user, account_id)
    decide = handoff.confirm_promise if decision == "confirm" else handoff.dispute_promise
    promise = decide(session, promise_id=promise_id, actor=user.email, note=note or None)
    return _answer(request, session, user, account_id, f"Promise “{promise.text}” {promise.status}.")


@router.post("/customers/{account_id}/health")
def record_health(request: Request, session: PageSession, user: PageUser, account_id: Id,
                  active_seat_share: Share, key_feature_adoption: Share,
                  outcome_achieved: Annotated[bool, Form()] = False,
                  nps: Annotated[Line, Form(max_length=10)] = "") -> Response:
    account = require_visible_account(session, user, account_id)
    require_customer_writer(session, user, what=f"record the health of {account.name}")
    signals = {"active_seat_share": active_seat_share / 100, "key_feature_adoption": key_feature_adoption / 100,
               "outcome_achieved": outcome_achieved}
    happiness = {"nps": _answer_number(nps)} if nps.strip() else {}
    check = health.record_health(session, account_id=account.id, success_signals=signals, happiness=happiness,
                                 actor=user.email, at=now(request))
    risk = f" At risk: {check.risk.replace('_', ' ')}." if check.at_risk else ""
    return _answer(request, session, user, account_id,
                   f"Health recorded: success {check.success_score}, happiness {check.happiness_score}.{risk}")
