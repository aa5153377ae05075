"""The rep's and the manager's day on the lead page: every move one click or one short form.

Each handler parses the form, calls one domain function (which checks the one policy and the state
machine) and answers with the lead as it now is. "My leads" lists what the viewer works.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from revteam.clock import now
from revteam.cultivation.graduation import confirm_criteria
from revteam.errors import InvalidMove
from revteam.inputs import Count, Day, Id, Line, Lines, TermMonths
from revteam.leads.edits import edit_lead
from revteam.leads.flow import actions as flow
from revteam.leads.flow import reassign as manage
from revteam.leads.worklist import working_leads
from revteam.revenue import service as deals
from revteam.revenue.rows import parse_money
from revteam.users.models import Role
from revteam.web.auth import PageSession, PageUser
from revteam.web.lead_page import lead_answer
from revteam.web.templating import render

router = APIRouter()
Text = Annotated[Line, Form(max_length=200)]
Note = Annotated[Lines, Form(max_length=2000)]
OUTCOME_WORDS = {"won": "won", "lost": "lost", "not_a_lead": "not a lead"}


def _money(text: str) -> int:
    return parse_money(text.replace(",", ""))


@router.get("/my-leads")
def my_leads(request: Request, session: PageSession, user: PageUser) -> Response:
    """What the viewer works (a manager: what their reps work), the next deadline first."""
    found = working_leads(session, user, now=now(request))
    title = "My team's leads" if user.role == Role.manager else "My leads"
    return render(request, "my_leads.html", {"title": title, **found, "now": now(request)})


@router.post("/leads/{lead_id}/accept")
def accept(request: Request, session: PageSession, user: PageUser, lead_id: Id) -> Response:
    offer = flow.accept_lead(session, lead_id=lead_id, actor=user, now=now(request))
    return lead_answer(request, session, user, lead_id,
                       f"Accepted: first contact due by {offer.first_touch_by:%Y-%m-%d %H:%M} UTC.")


@router.post("/leads/{lead_id}/reject")
def reject(request: Request, session: PageSession, user: PageUser, lead_id: Id, reason: Text,
           note: Note = "") -> Response:
    flow.reject_lead(session, lead_id=lead_id, actor=user, reason=reason, note=note.strip() or None, now=now(request))
    return lead_answer(request, session, user, lead_id, f"Rejected ({reason.replace('_', ' ')}).")


@router.post("/leads/{lead_id}/criteria")
def confirm(request: Request, session: PageSession, user: PageUser, lead_id: Id, note: Note = "",
            criteria: Annotated[list[Text], Form(max_length=20)] = []) -> Response:  # noqa: B006 (FastAPI copies it)
    answer = confirm_criteria(session, lead_id=lead_id, actor=user, criteria=criteria, note=note, now=now(request))
    outcome = " It graduated to sales." if answer["graduated"] else \
        (f" Still missing: {'; '.join(answer['missing'])}." if answer["missing"] else "")
    return lead_answer(request, session, user, lead_id, f"Confirmed {', '.join(answer['added']) or 'nothing new'}.{outcome}")


@router.post("/leads/{lead_id}/activity")
def log_activity(request: Request, session: PageSession, user: PageUser, lead_id: Id,
                 kind: Annotated[flow.ActivityKind, Form()], note: Note = "") -> Response:
    at = now(request)
    offer = flow.touch_lead(session, lead_id=lead_id, actor=user, now=at, kind=kind, note=note or None)
    stopped = " The first-touch clock stopped." if kind != "note" and offer.touched_at == at else ""
    return lead_answer(request, session, user, lead_id, f"Logged the {kind}.{stopped}")


@router.post("/leads/{lead_id}/handoff")
def handoff(request: Request, session: PageSession, user: PageUser, lead_id: Id) -> Response:
    flow.handoff_lead(session, lead_id=lead_id, actor=user, now=now(request))
    return lead_answer(request, session, user, lead_id, "Handed off to an account executive.")


@router.post("/leads/{lead_id}/opportunity")
def open_opportunity(request: Request, session: PageSession, user: PageUser, lead_id: Id, amount: Text,
                     expected_close: Annotated[Day, Form()]) -> Response:
    deals.require_deal_owner(session, user, lead_id=lead_id, action="open an opportunity on")
    deals.open_opportunity(session, lead_id=lead_id, amount_minor=_money(amount), expected_close=expected_close,
                           actor=user.email)
    return lead_answer(request, session, user, lead_id, "Opportunity opened.")


@router.post("/leads/{lead_id}/won")
def close_won(request: Request, session: PageSession, user: PageUser, lead_id: Id, plan: Text,
              seats: Annotated[Count, Form()], mrr: Text, term_months: Annotated[TermMonths, Form()],
              start: Annotated[Day, Form()], promises: Note = "") -> Response:
    deals.require_deal_owner(session, user, lead_id=lead_id, action="close as won")
    opportunity = _open_opportunity(session, lead_id)
    deals.close_won(session, opportunity_id=opportunity.id, plan=plan, seats=seats, mrr_minor=_money(mrr),
                    term_months=term_months, start=start, actor=user.email,
                    promises=[line.strip() for line in promises.splitlines() if line.strip()])
    return lead_answer(request, session, user, lead_id, "Won: the customer and its handoff to success are made.")


@router.post("/leads/{lead_id}/lost")
def close_lost(request: Request, session: PageSession, user: PageUser, lead_id: Id, reason: Text,
               on: Annotated[Day | None, Form()] = None) -> Response:
    deals.require_deal_owner(session, user, lead_id=lead_id, action="close as lost")
    deals.close_lost(session, opportunity_id=_open_opportunity(session, lead_id).id, reason=reason,
                     actor=user.email, on=on)
    return lead_answer(request, session, user, lead_id, f"Lost ({reason.replace('_', ' ')}).")


def _open_opportunity(session, lead_id: int):
    opportunity = deals.lead_opportunity(session, lead_id)
    if opportunity is None:
        raise InvalidMove(f"lead {lead_id} has no opportunity; open one first")
    return opportunity


@router.post("/leads/{lead_id}/dispose")
def dispose(request: Request, session: PageSession, user: PageUser, lead_id: Id,
            outcome: Annotated[Literal["won", "lost", "not_a_lead"], Form()], reason: Text = "") -> Response:
    flow.dispose_lead(session, lead_id=lead_id, actor=user, outcome=outcome, reason=reason or None, now=now(request))
    return lead_answer(request, session, user, lead_id, f"Closed as {OUTCOME_WORDS[outcome]}.")


@router.post("/leads/{lead_id}/edit")
def edit(request: Request, session: PageSession, user: PageUser, lead_id: Id, first_name: Text = "",
         last_name: Text = "", title: Text = "", phone: Text = "", company: Text = "",
         committee_role: Text = "") -> Response:
    values = {"first_name": first_name, "last_name": last_name, "title": title, "phone": phone,
              "committee_role": committee_role}
    if company.strip():  # a lead's company is its account: leaving the field empty keeps the account
        values["company"] = company
    changes = edit_lead(session, lead_id=lead_id, actor=user, values=values)
    said = ", ".join(field.replace("_", " ") for field in changes) or "nothing (no field changed)"
    return lead_answer(request, session, user, lead_id, f"Saved: {said}.")


@router.post("/leads/{lead_id}/reassign")
def reassign(request: Request, session: PageSession, user: PageUser, lead_id: Id, rep: Text, reason: Text) -> Response:
    manage.reassign_lead(session, lead_id=lead_id, actor=user, to_rep=rep, reason=reason, now=now(request))
    return lead_answer(request, session, user, lead_id, f"Reassigned to {rep}; they were told.")


@router.post("/leads/{lead_id}/cultivate")
def cultivate(request: Request, session: PageSession, user: PageUser, lead_id: Id, reason: Text) -> Response:
    manage.send_to_cultivation(session, lead_id=lead_id, actor=user, reason=reason, now=now(request))
    return lead_answer(request, session, user, lead_id, "Sent back to cultivation.")


@router.post("/leads/{lead_id}/evaluate")
def evaluate(request: Request, session: PageSession, user: PageUser, lead_id: Id,
             to: Annotated[Literal["cultivation", "reroute"], Form()]) -> Response:
    went = flow.evaluate_lead(session, lead_id=lead_id, actor=user, now=now(request), to=to)
    words = {"cultivation": "returned to cultivation", "reroute": "offered to another rep"}
    return lead_answer(request, session, user, lead_id, f"Evaluated: {words[went]}.")


@router.post("/leads/bulk")
def bulk(request: Request, session: PageSession, user: PageUser, action: Annotated[Literal["reassign", "cultivate"], Form()],
         lead_id: Annotated[list[Id], Form()], reason: Text, rep: Text = "") -> Response:
    """Reassign, or send to cultivation, the leads ticked on a list; each refused lead is said with why."""
    if action == "reassign":
        result = manage.bulk_reassign(session, lead_ids=lead_id, actor=user, to_rep=rep, reason=reason, now=now(request))
    else:
        result = manage.bulk_send_to_cultivation(session, lead_ids=lead_id, actor=user, reason=reason, now=now(request))
    return render(request, "_bulk_result.html", {"action": action, "rep": rep, **result})
