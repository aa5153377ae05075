"""Compensation over HTTP: statements, the month view, closing, disputes and the what-if."""

from typing import Annotated

from fastapi import APIRouter, Path

from revteam.api.deps import CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.comp import disputes, service
from revteam.comp.schemas import DisputeIn, ResolutionIn, SimulationIn
from revteam.comp.simulation import simulate
from revteam.inputs import Id, Line

router = APIRouter(prefix="/api/comp", tags=["comp"], responses=SIGNED_IN)
PeriodPath = Annotated[Line, Path(pattern=r"^\d{4}-\d{2}$", description="A month written YYYY-MM.")]
EmailPath = Annotated[Line, Path(max_length=254)]


@router.get("/statements/{email}/{period}")
def statement(email: EmailPath, period: PeriodPath, session: SessionDep, user: CurrentUser) -> dict:
    return service.statement(session, rep_email=email, period=period, viewer=user)


@router.get("/statements/{email}")
def history(email: EmailPath, session: SessionDep, user: CurrentUser) -> list[dict]:
    """Every stored revision of the rep's statements, oldest first."""
    return service.history(session, rep_email=email, viewer=user)


@router.post("/statements/{email}/{period}/recalculate", status_code=201)
def recalculate(email: EmailPath, period: PeriodPath, session: SessionDep, user: CurrentUser) -> dict:
    """A new revision of a closed month's statement from today's ledger and plan, with its difference."""
    service.require_role(user, ("admin",), "recalculating a statement")
    service.recalculate(session, rep_email=email, period=period, actor=user.email)
    return service.statement(session, rep_email=email, period=period, viewer=user)


@router.get("/periods/{period}")
def period(period: PeriodPath, session: SessionDep, user: CurrentUser) -> dict:
    return service.period_view(session, period=period, viewer=user) | {
        "disputes": disputes.disputes(session, period=period, viewer=user)}


@router.post("/periods/{period}/close", status_code=201)
def close(period: PeriodPath, session: SessionDep, user: CurrentUser) -> dict:
    service.require_role(user, ("admin",), "closing a comp month")
    return {"period": period, "statements": len(service.close_period(session, period=period, actor=user.email))}


@router.post("/statements/{statement_id}/disputes", status_code=201)
def open_dispute(statement_id: Id, body: DisputeIn, session: SessionDep, user: CurrentUser) -> dict:
    dispute = disputes.open_dispute(session, statement_id=statement_id, line=body.line,
                                    expected_minor=body.expected_minor, reason=body.reason, viewer=user,
                                    actor=user.email)
    return {"id": dispute.id, "status": dispute.status, "due_at": dispute.due_at.isoformat()}


@router.post("/disputes/{dispute_id}/resolve")
def resolve(dispute_id: Id, body: ResolutionIn, session: SessionDep, user: CurrentUser) -> dict:
    dispute = disputes.resolve_dispute(session, dispute_id=dispute_id, accept=body.accept, note=body.note,
                                       viewer=user, actor=user.email)
    return {"id": dispute.id, "status": dispute.status}


@router.post("/simulate")
def what_if(body: SimulationIn, session: SessionDep, user: CurrentUser) -> dict:
    service.require_role(user, service.SIMULATORS, "a what-if on a draft plan")
    return simulate(session, draft_text=body.playbook, source="draft playbook", first=body.first, last=body.last)
