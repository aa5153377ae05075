"""A rep's inbox: leads offered to them, accepted or rejected in one click without a reload."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from revteam.clock import now
from revteam.cultivation.package import graduation_packages
from revteam.inputs import Id, Line, Lines
from revteam.leads.flow import actions as flow
from revteam.playbook.versions import active
from revteam.users.models import Role, User
from revteam.leads import inbox as inbox_queries
from revteam.web.auth import PageSession, require_role
from revteam.web.templating import render

router = APIRouter(prefix="/inbox")
SalesPage = Annotated[User, Depends(require_role(Role.sales, Role.manager))]


INBOX_PAGE = 50  # cards on one page, the nearest deadline first (an admin's inbox holds every rep's offers)


def _counts(request: Request, session, user: User, *, waiting: int | None = None) -> dict:
    """What the inbox's count and activity show, redrawn after every decision (`waiting` when known)."""
    return {"waiting": inbox_queries.waiting_count(session, user) if waiting is None else waiting,
            "activity": inbox_queries.recent_activity(session, user), "now": now(request)}


@router.get("")
def inbox_page(request: Request, session: PageSession, user: SalesPage, after: Line | None = None) -> Response:
    cursor = inbox_queries.parse_cursor(after) if after else None
    offers = inbox_queries.open_offers(session, user, now=now(request), after=cursor, limit=INBOX_PAGE + 1)
    packages = graduation_packages(session, [row["lead"].id for row in offers], viewer=user, now=now(request))
    for row in offers:
        row["graduation"] = packages.get(row["lead"].id)
    following = inbox_queries.cursor_of(offers[INBOX_PAGE - 1]["offer"]) if len(offers) > INBOX_PAGE else None
    context = {"title": "Inbox", "offers": offers[:INBOX_PAGE], "first_page": after is None,
               "next_page": following and str(request.url.include_query_params(after=following)),
               "reject_reasons": active(session).playbook.reject_reasons,
               **_counts(request, session, user, waiting=len(offers) if after is None and not following else None)}
    return render(request, "inbox.html", context)


def _decided(request: Request, session, user: User, message: str) -> Response:
    """The card disappears; the count, activity and flash update out of band."""
    session.flush()
    return render(request, "inbox/_decided.html", {"message": message, **_counts(request, session, user)})


@router.post("/{lead_id}/accept")
def accept(request: Request, session: PageSession, user: SalesPage, lead_id: Id) -> Response:
    offer = flow.accept_lead(session, lead_id=lead_id, actor=user, now=now(request))
    return _decided(request, session, user, f"Accepted lead {lead_id}: first contact due by {offer.first_touch_by:%Y-%m-%d %H:%M} UTC.")


@router.post("/{lead_id}/reject")
def reject(request: Request, session: PageSession, user: SalesPage, lead_id: Id,
           reason: Annotated[Line, Form(max_length=200)], note: Annotated[Lines, Form(max_length=2000)] = "") -> Response:
    flow.reject_lead(session, lead_id=lead_id, actor=user, reason=reason, note=note or None, now=now(request))
    return _decided(request, session, user, f"Rejected lead {lead_id} ({reason.replace('_', ' ')}).")
