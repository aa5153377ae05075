"""Lead-side figures for the shared dashboard, read from the go-to-market metrics (metrics/gtm.py).

The dashboard's template keeps its row shapes; the definitions are metrics/gtm.py's: leads count in
the month they were created (cohort); acceptance = accepted / decided offers; win rate = won /
disposed leads; speed is hours from MQL to acceptance (nearest-rank median) and accept-SLA compliance.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from revteam.metrics import gtm
from revteam.metrics.gtm_queries import Period


@dataclass(frozen=True)
class LeadTallies:
    """The period the dashboard asked for, read once per page by each figure."""

    session: Session
    period: Period


def _period(first: date, end: date) -> Period:
    return Period(f"{first:%Y-%m}", f"{end - timedelta(days=1):%Y-%m}")


def lead_tallies(session: Session, first: date, end: date) -> LeadTallies:
    """The leads created from `first` up to (not including) `end`, as the figures below read them."""
    return LeadTallies(session, _period(first, end))


def funnel_by_cohort(tallies: LeadTallies) -> list[dict[str, Any]]:
    """Per creation month: leads, MQLs, accepted (SQL), opportunity and won, with conversions."""
    return gtm.funnel_report(tallies.session, tallies.period)["cohorts"]


def quality_by_source(session: Session, tallies: LeadTallies, first: date, end: date) -> list[dict[str, Any]]:
    """Per source, judged downstream: leads, acceptance of decided offers, win rate of disposed leads."""
    rows = gtm.quality_report(session, _period(first, end))["sources"]
    return [{**row, "accepted": row["accepted_leads"], "acceptance": row["acceptance_rate"]} for row in rows]


def speed_to_lead(session: Session, first: date, end: date) -> list[dict[str, Any]]:
    """Per team with timed acceptances: decisions due, median hours from MQL to accept, share inside the SLA."""
    teams = gtm.speed_report(session, _period(first, end))["teams"]
    return [{"team": t["team"], "decided": t["accept_sla"]["due"], "median_hours": t["mql_to_accept_hours"]["median"],
             "inside_sla": t["accept_sla"]["rate"]}
            for t in teams if t["mql_to_accept_hours"]["median"] is not None]
