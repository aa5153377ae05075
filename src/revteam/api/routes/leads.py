"""Leads over HTTP: read them, and move them through the flow (route, accept, reject...)."""

from typing import Any

from fastapi import APIRouter

from revteam.api.deps import CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.clock import Now
from revteam.inputs import Id, Limit, Line, Offset
from revteam.leads import service
from revteam.leads.flow import actions as flow
from revteam.leads.flow.schemas import DisposeIn, EvaluateIn, LeadStatusOut, RejectIn

router = APIRouter(prefix="/api/leads", tags=["leads"], responses=SIGNED_IN)


@router.get("")
def list_leads(session: SessionDep, user: CurrentUser, state: Line | None = None, owner: Line | None = None,
               limit: Limit = 100, offset: Offset = 0) -> list[dict[str, Any]]:
    """Leads newest first, those the user may see (the playbook's `visibility:`)."""
    return service.list_leads(session, viewer=user, state=state, owner=owner, limit=limit, offset=offset)


@router.get("/{lead_id}")
def show_lead(lead_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """A lead's whole story: person, account, score and every event."""
    return flow.visible_story(session, lead_id=lead_id, actor=user)


def _status(session, lead_id: int) -> LeadStatusOut:
    return flow.lead_status(session, lead_id)


@router.post("/{lead_id}/route", response_model=LeadStatusOut)
def route(lead_id: Id, session: SessionDep, user: CurrentUser, now: Now) -> LeadStatusOut:
    flow.route_lead(session, lead_id=lead_id, actor=user, now=now)
    return _status(session, lead_id)


@router.post("/{lead_id}/accept", response_model=LeadStatusOut)
def accept(lead_id: Id, session: SessionDep, user: CurrentUser, now: Now) -> LeadStatusOut:
    flow.accept_lead(session, lead_id=lead_id, actor=user, now=now)
    return _status(session, lead_id)


@router.post("/{lead_id}/reject", response_model=LeadStatusOut)
def reject(lead_id: Id, body: RejectIn, session: SessionDep, user: CurrentUser, now: Now) -> LeadStatusOut:
    flow.reject_lead(session, lead_id=lead_id, actor=user, reason=body.reason, note=body.note, now=now)
    return _status(session, lead_id)


@router.post("/{lead_id}/evaluate", response_model=LeadStatusOut)
def evaluate(lead_id: Id, session: SessionDep, user: CurrentUser, now: Now, body: EvaluateIn | None = None) -> LeadStatusOut:
    flow.evaluate_lead(session, lead_id=lead_id, actor=user, to=body.to if body else None, now=now)
    return _status(session, lead_id)


@router.post("/{lead_id}/handoff", response_model=LeadStatusOut)
def handoff(lead_id: Id, session: SessionDep, user: CurrentUser, now: Now) -> LeadStatusOut:
    flow.handoff_lead(session, lead_id=lead_id, actor=user, now=now)
    return _status(session, lead_id)


@router.post("/{lead_id}/touch", response_model=LeadStatusOut)
def touch(lead_id: Id, session: SessionDep, user: CurrentUser, now: Now) -> LeadStatusOut:
    flow.touch_lead(session, lead_id=lead_id, actor=user, now=now)
    return _status(session, lead_id)


@router.post("/{lead_id}/dispose", response_model=LeadStatusOut)
def dispose(lead_id: Id, body: DisposeIn, session: SessionDep, user: CurrentUser, now: Now) -> LeadStatusOut:
    flow.dispose_lead(session, lead_id=lead_id, actor=user, outcome=body.outcome, reason=body.reason, now=now)
    return _status(session, lead_id)
