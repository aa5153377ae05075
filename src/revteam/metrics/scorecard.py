"""Team scorecards: the shared goals of marketing, sales and success, each figure read from the metric
that defines it (metrics/gtm.py, revenue/health.py, metrics/views.py), never computed a second time.

Every team is scored on the same outcomes - customers gained, kept and healthy, the revenue they keep,
speed to lead, acceptance, rejected leads later won - because that is what a shared goal means; a
team's own rows are where a metric already splits by team (speed to lead by sales team) and how many
of its members looked at the common metrics. A figure that counts leads carries the lead list it
stands for; a viewer who sees fewer leads than the team gets their own count beside the team's.
"""

from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from revteam.leads import queries as lead_queries
from revteam.leads.lead_list import LeadFilter
from revteam.leads.access import sees_every_lead
from revteam.leads.models import Lead
from revteam.metrics import gtm, views
from revteam.metrics.gtm_queries import fair_game_leads
from revteam.metrics.milestones import reached_in_cohort
from revteam.periods import Period, midnight
from revteam.revenue.health import healthy_accounts
from revteam.users.models import User

TEAMS = ("marketing", "sales", "success")
HEALTHY = "won leads whose customer's latest health check is not at risk (revenue/health.py)"


def lead_filters(*, reached: str | None = None, fair_game: str | None = None,
                 healthy: bool = False) -> list[ColumnElement[bool]]:
    """Conditions on `Lead` for the lists the scorecard's figures open (the /leads page reads the same)."""
    where = [reached_in_cohort(reached, None)] if reached else []
    where += [fair_game_leads(fair_game)] if fair_game else []
    return where + ([Lead.account_id.in_(healthy_accounts())] if healthy else [])


def _created(period: Period) -> list[ColumnElement[bool]]:
    within = [Lead.created_at >= midnight(period.start)] if period.start else []
    return within + ([Lead.created_at < midnight(period.end)] if period.end else [])


def _link(period: Period, filters: dict) -> str:
    span = {"from": str(period.first) if period.first else None, "to": str(period.last) if period.last else None}
    return "/leads?" + urlencode({k: v for k, v in {**filters, **span}.items() if v})


def lead_figure(session: Session, period: Period, viewer: User | None, count: int, **filters) -> dict:
    """A lead figure: the team's count, the list it opens, and what this viewer sees of it."""
    shown = None
    if viewer is not None and not sees_every_lead(session, viewer):
        span = LeadFilter(created_from=period.start and midnight(period.start),
                          created_to=period.end and midnight(period.end))
        shown = lead_queries.filtered_leads(session, viewer=viewer, lead_filter=span, where=lead_filters(**filters),
                                            limit=0)["total"]
    query_filters = {k: ("true" if v is True else v) for k, v in filters.items() if v}
    return {"count": count, "shown": shown, "link": _link(period, query_filters)}


def _healthy(session: Session, period: Period) -> int:
    where = lead_filters(reached="won", healthy=True) + _created(period)
    return int(session.scalar(select(func.count()).select_from(Lead).where(*where)))


def _kept(bookings: dict) -> dict:
    total = bookings["total"]
    return {"bookings": total["bookings"], "churned_within_window": total["churned_within_window"],
            "kept": total["bookings"] - total["churned_within_window"], "window_months": bookings["window_months"]}


def _shared(session: Session, period: Period, viewer: User | None, speed: dict) -> dict:
    quality = gtm.quality_report(session, period)["total"]
    fair = gtm.rejection_report(session, period)["fair_game"]
    return {
        "customers_gained": lead_figure(session, period, viewer, quality["won"], reached="won"),
        "customers_healthy": lead_figure(session, period, viewer, _healthy(session, period), reached="won",
                                      healthy=True),
        "customers_kept": _kept(gtm.bookings_report(session, period)),
        "nrr": quality["nrr"],
        "speed_to_lead_hours": speed["mql_to_accept_hours"]["median"],
        "accept_sla_rate": speed["accept_sla"]["rate"],
        "acceptance_rate": quality["acceptance_rate"],
        "accepted_leads": lead_figure(session, period, viewer, quality["accepted_leads"], reached="accepted"),
        "rejected_leads": lead_figure(session, period, viewer, fair["rejected_leads"], fair_game="rejected"),
        "rejected_then_won": {**lead_figure(session, period, viewer, fair["won_by_another_rep"], fair_game="won"),
                              "share": fair["share"]},
    }


def _team_rows(session: Session, period: Period, team: str, speed_teams: list[dict]) -> dict:
    return {"common_metrics": views.team_viewing(session, period, team),
            "speed_by_team": speed_teams if team == "sales" else []}


def scorecard(session: Session, period: Period, *, team: str | None = None, viewer: User | None = None,
              now: datetime | None = None) -> dict:
    """The shared goals for the period, and each team's own rows (one team's when `team` is given)."""
    speed = gtm.speed_report(session, period, now=now)
    return {"period": period.written(), "healthy_definition": HEALTHY,
            "shared": _shared(session, period, viewer, speed["total"]),
            "teams": {name: _team_rows(session, period, name, speed["teams"]) for name in TEAMS
                      if team is None or name == team}}
