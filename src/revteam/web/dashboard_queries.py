"""Lead-side figures for the shared dashboard, until metrics/ owns funnel, quality and speed.

Definitions follow the playbook's metric texts: leads count in the month they were created
(cohort); acceptance = accepted / decided offers; win rate = won / disposed leads.
"""

from collections import Counter, defaultdict
from datetime import date, datetime, time, UTC
from statistics import median
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from revteam.leads.models import Lead
from revteam.routing.models import Offer, OfferOutcome
from revteam.users.models import Team, User

PAST_ACCEPTED = ("accepted", "won", "lost", "not_a_lead")


def _span(first: date, last: date) -> tuple[datetime, datetime]:
    return datetime.combine(first, time(), UTC), datetime.combine(last, time(), UTC)


def lead_tallies(session: Session, first: date, end: date) -> list[tuple[str, str | None, str, bool, int]]:
    """One pass over the period's leads: (creation month, source, state, is_mql, count)."""
    start, stop = _span(first, end)
    month = _month(session, Lead.created_at)
    query = (select(month.label("month"), Lead.source, Lead.state, Lead.is_mql, func.count())
             .where(Lead.created_at >= start, Lead.created_at < stop)
             .group_by("month", Lead.source, Lead.state, Lead.is_mql))
    return [tuple(row) for row in session.execute(query)]


def funnel_by_cohort(tallies: list[tuple]) -> list[dict[str, Any]]:
    """Per creation month: leads, MQLs, accepted (SQL) and won."""
    months: dict[str, dict[str, Any]] = {}
    for month, _source, state, is_mql, count in tallies:
        row = months.setdefault(month, {"month": month, "leads": 0, "mql": 0, "accepted": 0, "won": 0})
        row["leads"] += count
        row["mql"] += count if is_mql else 0
        row["accepted"] += count if state in PAST_ACCEPTED else 0
        row["won"] += count if state == "won" else 0
    return [months[month] for month in sorted(months)]


def _month(session: Session, column):
    """YYYY-MM of a UTC timestamp column, in SQL on either backend."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.substr(column, 1, 7)  # SQLite keeps UTC times as ISO text: the prefix is the month


def _offer_decisions(session: Session, first: date, end: date) -> dict[str, tuple[int, int]]:
    start, stop = _span(first, end)
    query = (select(Lead.source, func.sum(case((Offer.outcome == OfferOutcome.accepted, 1), else_=0)),
                    func.sum(case((Offer.outcome == OfferOutcome.rejected, 1), else_=0)))
             .join(Lead, Lead.id == Offer.lead_id).where(Lead.created_at >= start, Lead.created_at < stop)
             .group_by(Lead.source))
    return {source or "unknown": (accepted or 0, rejected or 0) for source, accepted, rejected in session.execute(query)}


def quality_by_source(session: Session, tallies: list[tuple], first: date, end: date) -> list[dict[str, Any]]:
    """Per source, judged downstream: leads, acceptance rate of decided offers, win rate of disposed leads."""
    sources: dict[str, Counter] = defaultdict(Counter)
    for _month_, source, state, _mql, count in tallies:
        tally = sources[source or "unknown"]
        tally["leads"] += count
        tally["won"] += count if state == "won" else 0
        tally["disposed"] += count if state in ("won", "lost", "not_a_lead") else 0
    decided = _offer_decisions(session, first, end)
    rows = []
    for source, tally in sources.items():
        accepted, rejected = decided.get(source, (0, 0))
        rows.append({"source": source, "leads": tally["leads"], "won": tally["won"], "accepted": accepted,
                     "acceptance": accepted / (accepted + rejected) if accepted + rejected else None,
                     "win_rate": tally["won"] / tally["disposed"] if tally["disposed"] else None})
    return sorted(rows, key=lambda r: -r["leads"])


def speed_to_lead(session: Session, first: date, end: date) -> list[dict[str, Any]]:
    """Per team: decided offers, median hours from offer to decision, share decided before the deadline."""
    start, stop = _span(first, end)
    query = (select(func.coalesce(Team.name, "no team"), Offer.offered_at, Offer.decided_at, Offer.accept_by)
             .join(User, User.id == Offer.rep_id).outerjoin(Team, Team.id == User.team_id)
             .where(Offer.offered_at >= start, Offer.offered_at < stop, Offer.decided_at.is_not(None)))
    by_team: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for team, offered, decided, deadline in session.execute(query):
        by_team[team].append(((decided - offered).total_seconds() / 3600, decided <= deadline))
    return [{"team": team, "decided": len(rows), "median_hours": median(h for h, _ in rows),
             "inside_sla": sum(ok for _, ok in rows) / len(rows)} for team, rows in sorted(by_team.items())]
