"""Lead capture over HTTP: one lead, a batch, and public website forms."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse

from revteam.api.deps import CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN, error_responses
from revteam.clock import now
from revteam.db.session import session_scope
from revteam.errors import BadInput
from revteam.inputs import Line
from revteam.leads.intake import forms
from revteam.leads.intake.capture import capture
from revteam.leads.intake.land import IntakeResult
from revteam.leads.schemas import CaptureOut, LeadBatchIn, LeadIn

router = APIRouter(tags=["capture"], responses=SIGNED_IN)
# Public: no token, but a rate limit per sender (429 with Retry-After).
forms_router = APIRouter(tags=["capture"], responses=error_responses(400, 404, 409, 422, 429))
FormKey = Annotated[Line, Path(max_length=100, description="The form's key, from `revteam forms add`.")]


def _out(result: IntakeResult, batch: str) -> CaptureOut:
    return CaptureOut(batch=batch, rows=result.rows, landed=result.landed, new_leads=result.new_leads,
                      merged=result.merged, refused=result.refused, accounts_created=result.accounts_created,
                      accounts_matched=result.accounts_matched, lead_ids=result.lead_ids)


@router.post("/api/leads", response_model=CaptureOut, status_code=201)
def capture_one(lead: LeadIn, session: SessionDep, user: CurrentUser) -> CaptureOut:
    """Capture one lead; the same person again merges into their open lead."""
    result = capture(session, [lead], actor=user.email)
    if result.refused:
        raise BadInput(result.refused[0]["reason"], where="body")
    return _out(result, "api")


@router.post("/api/leads/batch", response_model=CaptureOut, status_code=201)
def capture_batch(batch: LeadBatchIn, session: SessionDep, user: CurrentUser) -> CaptureOut:
    """Capture up to 1,000 leads; refused items are listed by position (`line`, from 1)."""
    return _out(capture(session, batch.leads, actor=user.email), "api")


def _admit_sender(key: FormKey, request: Request) -> None:
    """Count the post against its sender in a transaction of its own: a post refused later still counts."""
    sender = request.client.host if request.client else "unknown"
    with session_scope(request.app.state.engine) as session:
        forms.admit_post(session, key=key, sender=sender, limit=request.app.state.settings.form_rate_limit_per_minute,
                         now=now(request))


async def _posted_fields(request: Request) -> dict[str, str]:
    if not request.headers.get("content-type", "").startswith("application/json"):
        return {name: str(value) for name, value in (await request.form()).items()}
    try:
        body = await request.json()
    except ValueError:
        raise BadInput("the body is not valid JSON", where="body") from None
    if not isinstance(body, dict):
        raise BadInput("the body must be a JSON object of form fields", where="body")
    return {name: str(value) for name, value in body.items()}


@forms_router.post("/forms/{key}", include_in_schema=True, summary="Public website form endpoint (no token)",
             dependencies=[Depends(_admit_sender)])
async def submit_form(key: FormKey, request: Request, session: SessionDep):
    """Accepts form-encoded or JSON posts from a website; redirects when the form has a thank-you URL."""
    fields = await _posted_fields(request)
    form, _result = await run_in_threadpool(forms.submit, session, key=key, fields=fields)
    if form.redirect_url:
        return RedirectResponse(form.redirect_url, status_code=303)
    return JSONResponse({"received": True}, status_code=201)  # same answer for bots: the honeypot stays secret
