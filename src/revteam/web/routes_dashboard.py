"""The shared dashboard: funnel, lead quality, speed to lead, MRR movements and honest retention."""

from datetime import date
from revteam.db.base import utcnow
from typing import Any

from dateutil.relativedelta import relativedelta
from fastapi import APIRouter, Request
from starlette.responses import Response

from revteam.errors import BadInput
from revteam.metrics import service as metrics
from revteam.revenue.movements import months_in
from revteam.web import dashboard_queries as lead_figures
from revteam.web.auth import PageSession, PageUser
from revteam.web.charts import funnel_chart, mrr_chart
from revteam.web.templating import render

router = APIRouter()
DEFAULT_MONTHS = 12


def _period(first: str | None, last: str | None) -> tuple[str, str]:
    """The months asked for (YYYY-MM), by default the last twelve including this one."""
    this_month = utcnow().date().replace(day=1)
    last = last or this_month.strftime("%Y-%m")
    first = first or (this_month - relativedelta(months=DEFAULT_MONTHS - 1)).strftime("%Y-%m")
    if not months_in(first, last):
        raise BadInput(f"the period {first} to {last} holds no month", where="from")
    return first, last


def _figures(session, first: str, last: str) -> dict[str, Any]:
    start = date.fromisoformat(first + "-01")
    end = date.fromisoformat(last + "-01") + relativedelta(months=1)
    report = metrics.revenue_report(session, first, last)
    tallies = lead_figures.lead_tallies(session, start, end)
    funnel = lead_figures.funnel_by_cohort(tallies)
    return {"funnel": funnel, "funnel_chart": funnel_chart(funnel),
            "quality": lead_figures.quality_by_source(session, tallies, start, end),
            "speed": lead_figures.speed_to_lead(session, start, end),
            "months": report["months"], "mrr_chart": mrr_chart(report["months"]), "retention": report["retention"],
            "why_churn_differs": metrics.WHY_THEY_DIFFER}


@router.get("/dashboard")
def dashboard(request: Request, session: PageSession, _user: PageUser) -> Response:
    # "from" is a Python keyword, so the range is read from the query string directly.
    first, last = _period(request.query_params.get("from"), request.query_params.get("to"))
    context = {"title": "Dashboard", "first": first, "last": last, **_figures(session, first, last)}
    return render(request, "dashboard.html", context)
