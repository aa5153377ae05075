"""Marketing judged downstream: per track, what sales accepted and customers paid, from the records.

The one query module behind `revteam cultivation stats`, GET /api/cultivation/stats and the board.
A track's cohort is the enrollments that entered it in the period (all of them, with no period).
Of the cohort: `entered`; `active`, `completed` and `exited` by the enrollment's state now (they add
up to entered; a graduation ends its enrollment as exited, "graduated"); `graduated`: graduations
credited to those enrollments (`graduations`, also after the track completed); `accepted`: of those,
the leads a rep accepted an offer of after graduating (before any later graduation); `won`: of those,
the leads won since (their latest graduation); `revenue_minor`: the won opportunities' amounts.
Leads that graduated in no track are the row `none`, their cohort by graduation time.
"""

from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from revteam.cultivation.models import EnrollmentState, TrackEnrollment
from revteam.leads.access import sees_every_lead, visible_leads
from revteam.leads.models import Graduation, Lead
from revteam.leads.states import LeadState
from revteam.periods import Period, midnight
from revteam.playbook.versions import active
from revteam.revenue.models import Opportunity
from revteam.routing.models import Offer, was_accepted
from revteam.users.models import User

NO_TRACK = "none"
COUNTS = ("entered", "active", "completed", "exited", "graduated", "accepted", "won", "revenue_minor")


def _within(period: Period, column) -> list[ColumnElement[bool]]:
    start, end = period.start, period.end
    return ([column >= midnight(start)] if start else []) + ([column < midnight(end)] if end else [])


def _seen(session: Session, viewer: User | None, lead_id) -> list[ColumnElement[bool]]:
    """The viewer's leads as a condition on `lead_id`; none for whoever sees every lead (asked as IN every
    lead, SQLite read the whole leads index first)."""
    if viewer is None or sees_every_lead(session, viewer):
        return []
    return [lead_id.in_(select(Lead.id).where(visible_leads(session, viewer)))]


def _states(session: Session, period: Period, seen: list) -> dict[str, dict[str, int]]:
    query = (select(TrackEnrollment.track_id, TrackEnrollment.state, func.count())
             .where(*_within(period, TrackEnrollment.enrolled_at), *seen)
             .group_by(TrackEnrollment.track_id, TrackEnrollment.state))
    states: dict[str, dict[str, int]] = {}
    for track, state, count in session.execute(query):
        states.setdefault(track, {})[state] = count
    return states


def _outcomes(session: Session, period: Period, seen: list) -> dict[str | None, tuple[int, int, int, int]]:
    """(graduated, accepted, won, revenue) per track; None: graduations outside any track."""
    later = aliased(Graduation)
    next_graduation = (select(func.min(later.graduated_at)).where(later.lead_id == Graduation.lead_id,
                                                                  later.id > Graduation.id)
                       .correlate(Graduation).scalar_subquery())
    accepted = exists().where(Offer.lead_id == Graduation.lead_id, was_accepted(),
                              Offer.offered_at >= Graduation.graduated_at,
                              or_(next_graduation.is_(None), Offer.offered_at < next_graduation))
    won = and_(Lead.state == LeadState.WON, next_graduation.is_(None))
    cohort = or_(and_(Graduation.enrollment_id.is_(None), *_within(period, Graduation.graduated_at) or [true()]),
                 and_(TrackEnrollment.id.is_not(None), *_within(period, TrackEnrollment.enrolled_at) or [true()]))
    query = (select(Graduation.track_id, func.count(), func.sum(case((accepted, 1), else_=0)),
                    func.sum(case((won, 1), else_=0)),
                    func.sum(case((won, func.coalesce(Opportunity.amount_minor, 0)), else_=0)))
             .select_from(Graduation).join(Lead, Lead.id == Graduation.lead_id)
             .outerjoin(TrackEnrollment, TrackEnrollment.id == Graduation.enrollment_id)
             .outerjoin(Opportunity, and_(Opportunity.lead_id == Graduation.lead_id, Opportunity.stage == "won"))
             .where(cohort, *seen).group_by(Graduation.track_id))
    return {track: tuple(int(value or 0) for value in values) for track, *values in session.execute(query)}


def _row(track: str, name: str, states: dict[str, int], outcomes: tuple[int, int, int, int]) -> dict[str, Any]:
    graduated, accepted, won, revenue = outcomes
    entered = sum(states.values())
    return {"track": track, "name": name, "entered": entered,
            **{state.value: states.get(state.value, 0) for state in EnrollmentState},
            "graduated": graduated, "accepted": accepted, "won": won, "revenue_minor": revenue,
            "graduation_rate": round(graduated / entered, 4) if entered else None,
            "acceptance_rate": round(accepted / graduated, 4) if graduated else None,
            "win_rate": round(won / graduated, 4) if graduated else None}


def track_stats(session: Session, period: Period, *, viewer: User | None = None) -> dict[str, Any]:
    """Per track, in playbook order (then retired tracks, then `none`): its cohort's counts (see above);
    `viewer` (None: the operator) counts only the leads they may see."""
    states = _states(session, period, _seen(session, viewer, TrackEnrollment.lead_id))
    outcomes = _outcomes(session, period, _seen(session, viewer, Graduation.lead_id))
    nothing = (0, 0, 0, 0)
    tracks = [(track.id, track.name) for track in active(session).playbook.tracks]
    retired = sorted((set(states) | {track for track in outcomes if track}) - {track_id for track_id, _ in tracks})
    rows = [_row(track_id, name, states.get(track_id, {}), outcomes.get(track_id, nothing))
            for track_id, name in [*tracks, *((track_id, track_id) for track_id in retired)]]
    if None in outcomes:
        rows.append(_row(NO_TRACK, "In no track", {}, outcomes[None]))
    return {"period": period.written(), "tracks": rows,
            "total": {name: sum(row[name] for row in rows) for name in COUNTS}}
