"""Stopping touches from the pages: the public unsubscribe page an e-mail links to, and an admin's
suppression from the lead page."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from starlette.responses import Response

from revteam.clock import now
from revteam.inputs import Id, Line
from revteam.outreach import unsubscribe
from revteam.outreach.suppression import suppress_lead_person, suppression_of
from revteam.web.auth import PageSession, PageUser
from revteam.web.lead_page import lead_answer
from revteam.web.templating import render

router = APIRouter()
# No sign-in and no CSRF token: the signed link is the proof, and mail clients POST it (RFC 8058 one-click).
public_router = APIRouter(prefix=unsubscribe.PATH, include_in_schema=False)
Token = Annotated[Line, Path(max_length=200)]


def _page(request: Request, session, token: str, *, done: bool) -> Response:
    person = unsubscribe.person_of_token(session, token)
    context = {"title": "Unsubscribe", "email": person.email, "token": token, "done": done,
               "suppression": suppression_of(session, person.id)}
    return render(request, "unsubscribe.html", context)


@public_router.get("/{token}")
def unsubscribe_page(request: Request, session: PageSession, token: Token) -> Response:
    return _page(request, session, token, done=False)


@public_router.post("/{token}")
def unsubscribe_now(request: Request, session: PageSession, token: Token) -> Response:
    unsubscribe.opt_out(session, token=token, at=now(request))
    session.flush()
    return _page(request, session, token, done=True)


@router.post("/leads/{lead_id}/suppress")
def suppress(request: Request, session: PageSession, user: PageUser, lead_id: Id,
             reason: Annotated[Line, Form(max_length=500)]) -> Response:
    changed = suppress_lead_person(session, user=user, lead_id=lead_id, reason=reason, at=now(request))
    message = "Suppressed: no touch reaches this person any more." if changed else "This person was suppressed already."
    return lead_answer(request, session, user, lead_id, message)
