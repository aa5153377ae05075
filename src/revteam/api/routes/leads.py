"""Leads over HTTP: read them, and move them through the flow (route, accept, reject...)."""

from typing import Any

from fastapi import APIRouter

from revteam.api.deps import CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.clock import Now
from revteam.cultivation import graduation
from revteam.cultivation.package import graduation_package
from revteam.inputs import Id, Limit, Line, Offset
from revteam.leads import service
from revteam.leads.access import require_visible
from revteam.leads.flow import actions as flow
from revteam.leads.edits import edit_lead
from revteam.leads.flow import reassign as manage
from revteam.leads.flow.schemas import (
    ActivityIn, BulkIn, CriteriaIn, CultivateIn, DisposeIn, EditIn, EvaluateIn, LeadStatusOut, ReassignIn, RejectIn,
)
from revteam.leads.worklist import working_leads

router = APIRouter(prefix="/api/leads", tags=["leads"], responses=SIGNED_IN)


@router.get("")
def list_leads(session: SessionDep, user: CurrentUser, state: Line | None = None, owner: Line | None = None,
               limit: Limit = 100, offset: Offset = 0) -> list[dict[str, Any]]:
    """Leads newest first, those the user may see (the playbook's `visibility:`)."""
    return service.list_leads(session, viewer=user, state=state, owner=owner, limit=limit, offset=offset)


@router.get("/mine")
def my_leads(session: SessionDep, user: CurrentUser, now: Now) -> list[dict[str, Any]]:
    """What the user works (a manager: their reps), the next deadline first."""
    return [{"id": row["lead"].id, "state": row["lead"].state, "owner": row["owner"], "next": row["kind"],
             "deadline": row["deadline"]} for row in working_leads(session, user, now=now)["rows"]]


@router.post("/bulk")
def bulk(body: BulkIn, session: SessionDep, user: CurrentUser, now: Now) -> dict[str, Any]:
    """Reassign, or send to cultivation, many leads; answers the leads done and those refused, with why."""
    if body.action == "reassign":
        return manage.bulk_reassign(session, lead_ids=body.lead_ids, actor=user, to_rep=body.rep or "",
                                    reason=body.reason, now=now)
    return manage.bulk_send_to_cultivation(session, lead_ids=body.lead_ids, actor=user, reason=body.reason, now=now)


@router.get("/{lead_id}")
def show_lead(lead_id: Id, session: SessionDep, user: CurrentUser, now: Now) -> dict[str, Any]:
    """A lead's whole story: person, account, score and every event; `graduation`: its history package
    as frozen when it graduated from cultivation (`frozen_at`; as GET /api/leads/{id}/graduation), else null."""
    story = service.visible_story(session, lead_id=lead_id, actor=user)
    return {**story, "graduation": graduation_package(session, lead_id, viewer=user, now=now)}


@router.get("/{lead_id}/graduation")
def graduation_of(lead_id: Id, session: SessionDep, user: CurrentUser, now: Now) -> dict[str, Any]:
    """Graduation: the criteria confirmed, what the playbook still misses, and the history package
    (touches, engagement by month, score history, committee map, earlier rejections) once graduated."""
    require_visible(session, user, lead_id)
    return {**graduation.readiness(session, lead_id, now=now),
            "package": graduation_package(session, lead_id, viewer=user, now=now)}


@router.post("/{lead_id}/criteria")
def confirm_criteria(lead_id: Id, body: CriteriaIn, session: SessionDep, user: CurrentUser, now: Now) -> dict[str, Any]:
    """Confirm SQL criteria on the lead; a cultivated lead that now meets the playbook's graduation goes to sales."""
    answer = graduation.confirm_criteria(session, lead_id=lead_id, actor=user, criteria=body.criteria,
                                         note=body.note, now=now)
    return {**answer, "status": _status(session, lead_id).model_dump(mode="json")}


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
def touch(lead_id: Id, session: SessionDep, user: CurrentUser, now: Now, body: ActivityIn | None = None) -> LeadStatusOut:
    """Log a call (default), e-mail, meeting or note; the first contact stops the first-touch clock."""
    body = body or ActivityIn()
    flow.touch_lead(session, lead_id=lead_id, actor=user, now=now, kind=body.kind, note=body.note)
    return _status(session, lead_id)


@router.post("/{lead_id}/reassign", response_model=LeadStatusOut)
def reassign(lead_id: Id, body: ReassignIn, session: SessionDep, user: CurrentUser, now: Now) -> LeadStatusOut:
    manage.reassign_lead(session, lead_id=lead_id, actor=user, to_rep=body.rep, reason=body.reason, now=now)
    return _status(session, lead_id)


@router.post("/{lead_id}/cultivate", response_model=LeadStatusOut)
def cultivate(lead_id: Id, body: CultivateIn, session: SessionDep, user: CurrentUser, now: Now) -> LeadStatusOut:
    manage.send_to_cultivation(session, lead_id=lead_id, actor=user, reason=body.reason, now=now)
    return _status(session, lead_id)


@router.patch("/{lead_id}")
def edit(lead_id: Id, body: EditIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Correct the person's and lead's fields; answers each change with its old and new value."""
    return {"changes": edit_lead(session, lead_id=lead_id, actor=user, values=body.model_dump(exclude_unset=True))}


@router.post("/{lead_id}/dispose", response_model=LeadStatusOut)
def dispose(lead_id: Id, body: DisposeIn, session: SessionDep, user: CurrentUser, now: Now) -> LeadStatusOut:
    flow.dispose_lead(session, lead_id=lead_id, actor=user, outcome=body.outcome, reason=body.reason, now=now)
    return _status(session, lead_id)
