"""Marketing's cultivation board: leads in cultivation, rejected leads to evaluate, SLA breaches."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from revteam.inputs import Id
from revteam.leads.flow import actions as flow
from revteam.users.models import Role, User
from revteam.cultivation import board as board_queries
from revteam.cultivation.stats import track_stats
from revteam.periods import Period
from revteam.clock import now as app_now
from revteam.web.auth import PageSession, require_role
from revteam.web.figures_cache import whose
from revteam.web.templating import render

router = APIRouter(prefix="/cultivation")
MarketingPage = Annotated[User, Depends(require_role(Role.marketing, Role.manager))]
WHERE_TO = {"cultivation": "returned to cultivation", "reroute": "offered to another rep"}


def _kept_counts(session, viewer: User, period: Period) -> dict:
    return {"counts": board_queries.cultivation_counts(session, viewer),
            "rejected_count": board_queries.rejected_count(session, viewer),
            "stats": track_stats(session, period, viewer=viewer)}


@router.get("")
def board_page(request: Request, session: PageSession, user: MarketingPage) -> Response:
    """What the user may see of cultivation: each count is the list its link opens, for this user (the
    track and rejected counts and the tracks' downstream figures, which pass every cultivating lead and
    every enrollment, kept while the records stay the same:
    web/figures_cache.py; the breach count moves with the clock, so it is counted each time); each track
    judged downstream for the enrollments of the months `from`..`to`."""
    now = app_now(request)
    period = Period.parse(request.query_params.get("from"), request.query_params.get("to"))
    key = ("cultivation", whose(session, user), *period.written())
    kept = request.app.state.figures.get(session, key, now, lambda kept_in, _minute: _kept_counts(
        kept_in, kept_in.get(User, user.id), period))
    context = {"title": "Cultivation", **kept.figures, "as_of": kept.minute, "rejected": board_queries.rejected_waiting(session, user), "now": now,
               "breaches": board_queries.sla_breaches(session, user, now=now),
               "breached_count": board_queries.breached_count(session, user, now=now),
               "escalations": board_queries.recent_escalations(session, user)}
    return render(request, "cultivation.html", context)


@router.post("/{lead_id}/evaluate")
def evaluate(request: Request, session: PageSession, user: MarketingPage, lead_id: Id,
             to: Annotated[Literal["cultivation", "reroute"], Form()]) -> Response:
    went = flow.evaluate_lead(session, lead_id=lead_id, actor=user, now=app_now(request), to=to)
    message = f"Lead {lead_id} {WHERE_TO[went]}."
    return render(request, "_flash_oob.html", {"message": message})
