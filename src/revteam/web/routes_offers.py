"""The offers behind the dashboard's speed-to-lead figures, as the viewer may see them."""

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import AwareDatetime
from starlette.responses import Response

from revteam.clock import now
from revteam.inputs import Id, Line
from revteam.metrics.speed_offers import figure_offers, offer_page
from revteam.periods import Period
from revteam.web.auth import PageSession, PageUser
from revteam.web.templating import render

router = APIRouter()
Measure = Literal["accept_due", "accept_met", "touch_due", "touch_met", "decided", "accepted"]
MEASURE_WORDS = {"accept_due": "whose accept SLA can be judged (decided, expired or overdue)",
                 "accept_met": "accepted or rejected inside the accept SLA",
                 "touch_due": "whose first-touch SLA can be judged", "touch_met": "first touched inside the SLA",
                 "decided": "decided by the rep: accepted, rejected or let expire",
                 "accepted": "accepted by the rep"}


@router.get("/offers")
def offer_list(request: Request, session: PageSession, user: PageUser, measure: Measure, team: Line | None = None,
               pod: Line | None = None, rep: Line | None = None, after: Id | None = None,
               at: AwareDatetime | None = None) -> Response:
    """The offers one speed or acceptance figure counts: the whole count, and one page of them; judged
    `at` the moment the figure was computed for (kept figures: web/figures_cache.py), by default now."""
    period = Period.parse(request.query_params.get("from"), request.query_params.get("to"))
    conditions = figure_offers(period, measure, at or now(request), team=team, pod=pod, rep=rep)
    found = offer_page(session, viewer=user, conditions=conditions, after=after)
    next_page = str(request.url.include_query_params(after=found["next"])) if found["next"] else None
    return render(request, "offers.html", {"title": "Offers", **found, "to_whom": team or pod or rep or "every rep",
                                           "period": period, "what": MEASURE_WORDS[measure], "next_page": next_page})
