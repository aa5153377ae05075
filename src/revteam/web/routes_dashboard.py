"""The shared dashboard (funnel, lead quality, speed to lead, MRR movements, honest retention) and the
team scorecards; opening either is noted in the view log (metrics/views.py). Their figures are computed
once while the records stay the same (web/figures_cache.py).

The lead figures are metrics/gtm.py's reports for the same period as `revteam metrics ...` prints them.
"""

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from revteam.clock import now
from revteam.leads.access import sees_every_lead, visible_leads
from revteam.metrics import gtm
from revteam.metrics import scorecard
from revteam.metrics import service as metrics
from revteam.metrics.views import record_view
from revteam.periods import Month, Period
from revteam.revenue.customers import customer_counts, retention_filters
from revteam.users.models import Role, User
from revteam.web.auth import PageSession, PageUser
from revteam.web.charts import funnel_chart, mrr_chart
from revteam.web.figures_cache import whose
from revteam.web.templating import render

router = APIRouter()
DEFAULT_MONTHS = 12


def _period(request: Request) -> Period:
    """The months asked for, by default the last twelve including this one."""
    asked = Period.parse(request.query_params.get("from"), request.query_params.get("to"))
    this_month = Month.of(now(request))
    return Period(asked.first or this_month.plus(1 - DEFAULT_MONTHS), asked.last or this_month)


def _viewers_own(session, user: User, period: Period, at: datetime) -> dict[str, Any]:
    """For a viewer who sees fewer leads than the team, their own funnel and source figures, counted
    with the visibility policy the lead list applies; none for a viewer who sees every lead."""
    if sees_every_lead(session, user):
        return {"funnel_mine": None, "quality_mine": None, "speed_mine": None, "whose": None}
    seen = visible_leads(session, user)
    return {"funnel_mine": gtm.reached_by(session, period, "cohort", seen),
            "quality_mine": gtm.reached_by(session, period, "source", seen),
            "speed_mine": gtm.speed_by_team(session, period, at, seen),
            "whose": "your team" if user.role == Role.manager else "yours"}


def _retention_links(session, user: User, period: Period, retention: dict, today: date) -> dict[str, dict]:
    """Per retention figure: the link to its customers, the team's count and, for a viewer who sees fewer
    customers than the team, their own, counted with the list's conditions (all six in one query)."""
    team = {"cohort": retention["customers_start"], "eligible": retention["logo_churn"]["eligible_customers"],
            **retention["accounts"]}
    chosen = retention_filters(period)
    mine = None if sees_every_lead(session, user) else customer_counts(session, viewer=user, filters=chosen, today=today)
    return {name: {"href": "/customers?" + urlencode(filters.as_query()), "team": team[name],
                   "mine": mine[name] if mine else None}
            for name, filters in chosen.items()}


def _team_figures(session, period: Period, at: datetime) -> dict[str, Any]:
    """What every viewer sees alike: the team's funnel, quality, speed and revenue."""
    report = metrics.revenue_report(session, period)
    funnel = gtm.funnel_report(session, period)["cohorts"]
    return {"funnel": funnel, "funnel_chart": funnel_chart(funnel),
            "quality": gtm.quality_report(session, period)["sources"],
            "speed": gtm.speed_report(session, period, now=at)["teams"],
            "months": report["months"], "mrr_chart": mrr_chart(report["months"]), "retention": report["retention"],
            "why_churn_differs": metrics.WHY_THEY_DIFFER}


def _figures(request: Request, session, user: User, period: Period, at: datetime) -> dict[str, Any]:
    """The team's figures, kept once for every viewer, and the viewer's own beside them, kept per viewer
    (who sees every lead has none of their own); both of one minute, the older one's."""
    figures = request.app.state.figures
    team = figures.get(session, ("dashboard", None, period), at,
                       lambda kept_in, minute: _team_figures(kept_in, period, minute))
    own = figures.get(session, ("dashboard-own", whose(session, user), period), at, lambda kept_in, minute: {
        **_viewers_own(kept_in, kept_in.get(User, user.id), period, minute),
        "customers": _retention_links(kept_in, kept_in.get(User, user.id), period, team.figures["retention"],
                                      minute.date())})
    return {**team.figures, **own.figures, "as_of": min(team.minute, own.minute)}


@router.get("/dashboard")
def dashboard(request: Request, session: PageSession, user: PageUser) -> Response:
    # "from" is a Python keyword, so the range is read from the query string directly.
    period, at = _period(request), now(request)
    figures = _figures(request, session, user, period, at)
    context = {"title": "Dashboard", "first": str(period.first), "last": str(period.last), **figures}
    # Noted once the figures are read: on SQLite the view log's write holds the one write lock until
    # the commit, so writing first made every other dashboard wait for this one's figures.
    record_view(session, user, page="dashboard", at=at)
    return render(request, "dashboard.html", context)


@router.get("/scorecards")
def scorecards(request: Request, session: PageSession, user: PageUser) -> Response:
    """The shared goals of the three teams, every lead figure linked to its leads."""
    period = _period(request)
    record_view(session, user, page="scorecards", at=now(request))  # first: the card counts this look too
    by = request.query_params.get("by") or None
    kept = request.app.state.figures.get(
        session, ("scorecards", whose(session, user), period, by), now(request),
        lambda kept_in, minute: scorecard.scorecard(kept_in, period, by=by, viewer=kept_in.get(User, user.id), now=minute))
    own = "your team" if user.role == Role.manager else "yours"
    return render(request, "scorecards.html", {"title": "Scorecards", "first": str(period.first),
                                               "last": str(period.last), "card": kept.figures, "as_of": kept.minute,
                                               "whose": own,
                                               "by": by, "kinds": scorecard.BY})
