"""The history package a rep gets with a graduated lead: the work marketing did, in one answer.

`graduation_package` is the one builder: the API, the lead page, the inbox and `revteam leads show`
all show what it returns. It is read from the records as they are now: the lead's latest
graduation and the SQL criteria it counted, its person's touches and engagement by month, its
score history (`lead.scored` events), its account's committee (leads/committee.py: coverage and the
people the viewer may see) and the earlier rejections with the reps' notes.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.events.models import Event
from revteam.leads.models import Activity, Graduation, Lead, LeadCriterion
from revteam.routing.models import Offer, OfferOutcome
from revteam.users.models import User

if TYPE_CHECKING:
    from revteam.playbook.schema import Playbook


def latest_graduations(session: Session, lead_ids: Collection[int]) -> dict[int, Graduation]:
    """Each of these leads' latest graduation, by lead id (leads never graduated are left out)."""
    if not lead_ids:
        return {}
    query = select(Graduation).where(Graduation.lead_id.in_(list(lead_ids))).order_by(Graduation.id)
    return {graduation.lead_id: graduation for graduation in session.scalars(query)}


def _criteria(session: Session, graduation: Graduation) -> list[dict[str, Any]]:
    """The confirmations this graduation counted: since the lead's graduation before it, up to this one."""
    before = select(func.max(Graduation.graduated_at)).where(Graduation.lead_id == graduation.lead_id,
                                                             Graduation.id < graduation.id).scalar_subquery()
    query = (select(LeadCriterion).where(LeadCriterion.lead_id == graduation.lead_id,
                                         LeadCriterion.confirmed_at <= graduation.graduated_at,
                                         before.is_(None) | (LeadCriterion.confirmed_at > before))
             .order_by(LeadCriterion.confirmed_at, LeadCriterion.id))
    return [{"criterion": row.criterion, "confirmed_at": row.confirmed_at.isoformat(), "by": row.confirmed_by,
             "note": row.note} for row in session.scalars(query)]


def _touches(session: Session, lead: Lead, playbook: Playbook) -> list[dict[str, Any]]:
    query = select(Activity).where(Activity.person_id == lead.person_id).order_by(Activity.at, Activity.id)
    return [{"at": touch.at.isoformat(), "type": touch.type, "source": touch.source,
             "points": playbook.engagement.points.get(touch.type, 0)} for touch in session.scalars(query)]


def _by_month(touches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Touches and their points per month (UTC), oldest first."""
    months: dict[str, dict[str, Any]] = {}
    for touch in touches:
        month = months.setdefault(touch["at"][:7], {"month": touch["at"][:7], "touches": 0, "points": 0})
        month["touches"] += 1
        month["points"] += touch["points"]
    return list(months.values())


def _scores(session: Session, lead_id: int) -> list[dict[str, Any]]:
    query = (select(Event.at, Event.data).where(Event.subject_type == "lead", Event.subject_id == lead_id,
                                                Event.type == "lead.scored").order_by(Event.at, Event.id))
    return [{"at": at.isoformat(), "score": data.get("total"), "fit": data.get("fit"),
             "engagement": data.get("engagement"), "reason": data.get("reason")} for at, data in session.execute(query)]


def _rejections(session: Session, lead_id: int, playbook: Playbook) -> list[dict[str, Any]]:
    query = (select(Offer.decided_at, Offer.reason_code, Offer.note, User.email)
             .join(User, User.id == Offer.rep_id)
             .where(Offer.lead_id == lead_id, Offer.outcome == OfferOutcome.rejected.value)
             .order_by(Offer.decided_at, Offer.id))
    return [{"at": at.isoformat() if at else None, "rep": rep, "reason": code,
             "reason_label": reason.label if (reason := playbook.reject_reason(code)) else code, "note": note}
            for at, code, note, rep in session.execute(query)]


def _committee(session: Session, lead: Lead, playbook: Playbook, viewer: User | None,
               now: datetime) -> dict[str, Any] | None:
    from revteam.leads.access import visible_people
    from revteam.leads.committee import account_coverage, committee_map

    if lead.account_id is None:
        return None
    coverage = account_coverage(session, [lead.account_id], playbook=playbook, now=now)[lead.account_id]
    people = committee_map(session, lead.account_id, playbook=playbook, now=now,
                           people_filter=visible_people(session, viewer) if viewer else True)
    return {**coverage.as_json(), "people": people}


def graduation_package(session: Session, lead_id: int, *, viewer: User | None, now: datetime) -> dict[str, Any] | None:
    """The lead's history package since its latest graduation, or None when it never graduated. `viewer`
    (None: the operator) limits the committee's people to those they may see."""
    graduation = latest_graduations(session, [lead_id]).get(lead_id)
    if graduation is None:
        return None
    # The playbook and the committee are imported only for a graduated lead: `revteam leads show`
    # of any other lead loads neither.
    from revteam.playbook.versions import active

    lead, playbook = session.get(Lead, lead_id), active(session).playbook
    track = playbook.track(graduation.track_id) if graduation.track_id else None
    touches = _touches(session, lead, playbook)
    return {
        "graduated_at": graduation.graduated_at.isoformat(), "track": graduation.track_id,
        "track_name": track.name if track else None, "held": graduation.criteria,
        "criteria": _criteria(session, graduation), "touches": touches, "engagement_by_month": _by_month(touches),
        "score_history": _scores(session, lead_id), "committee": _committee(session, lead, playbook, viewer, now),
        "rejections": _rejections(session, lead_id, playbook),
    }
