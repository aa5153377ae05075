"""The playbook over HTTP: simulate a draft on the recent leads (read-only), activate it after looking."""

from fastapi import APIRouter, Request

from revteam.api.deps import AdminUser, CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.db.base import utcnow
from revteam.db.read_only import read_only_scope
from revteam.errors import Forbidden
from revteam.simulation.schemas import DraftIn
from revteam.simulation.service import activate_simulated, simulate, window

router = APIRouter(prefix="/api/playbook", tags=["playbook"], responses=SIGNED_IN)


def _window(body: DraftIn):
    return window(since=body.since, first=body.first, last=body.last, now=utcnow())


@router.post("/simulate")
def simulate_draft(body: DraftIn, request: Request, user: CurrentUser) -> dict:
    """What the draft would have done to the window's leads, beside the active playbook; writes nothing."""
    if user.role not in ("admin", "manager"):
        raise Forbidden(f"{user.email} is {user.role}; simulating a playbook needs a manager or an admin")
    start, end = _window(body)
    with read_only_scope(request.app.state.engine) as session:
        return simulate(session, draft_text=body.playbook, start=start, end=end, weights=body.weights)


@router.post("/activate", status_code=201)
def activate_draft(body: DraftIn, session: SessionDep, user: AdminUser) -> dict:
    """Activate the draft, recording the simulation of the window in the version's event."""
    start, end = _window(body)
    version_id, changed, seen = activate_simulated(session, draft_text=body.playbook, start=start, end=end,
                                                   actor=user.email, source="api", now=utcnow())
    return {"version": version_id, "changed": changed, "simulation": seen}
