"""The history package a rep gets with a graduated lead: the work marketing did, in one answer.

`freeze_package` builds it once, when the lead graduates, and stores it on the graduation: the
SQL criteria the graduation counted, the person's touches and engagement by month (in the
playbook's time zone), the score history (`lead.scored` events), the account's committee
(leads/committee.py: coverage and its people) and the earlier rejections with the reps' notes.
The rep reads it as it was then (`frozen_at`), whatever happened since; the API, the lead page, the
inbox and `revteam leads show` all show what `graduation_package(s)` return, which leave out the
committee's people the viewer may not see. A lead graduated before packages were stored (migration
0028) gets one built from the records as they are now, with `frozen_at` None.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Person
from revteam.events.models import Event
from revteam.leads.models import Activity, Graduation, Lead, LeadCriterion
from revteam.periods import Month
from revteam.routing.models import Offer, OfferOutcome
from revteam.users.models import User

if TYPE_CHECKING:
    from revteam.playbook.schema import Playbook

# The playbook, the committee and the access policy are imported only for a graduated lead:
# `revteam leads show` of any other lead loads none of them.


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


def _touches(session: Session, lead: Lead, playbook: Playbook, until: datetime) -> list[dict[str, Any]]:
    query = (select(Activity).where(Activity.person_id == lead.person_id, Activity.at <= until)
             .order_by(Activity.at, Activity.id))
    return [{"at": touch.at.isoformat(), "month": str(Month.at(touch.at, playbook.timezone)), "type": touch.type,
             "source": touch.source, "points": playbook.engagement.points.get(touch.type, 0)}
            for touch in session.scalars(query)]


def _by_month(touches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Touches and their points per month of the playbook's time zone, oldest first."""
    months: dict[str, dict[str, Any]] = {}
    for touch in touches:
        month = months.setdefault(touch["month"], {"month": touch["month"], "touches": 0, "points": 0})
        month["touches"] += 1
        month["points"] += touch["points"]
    return list(months.values())


def _scores(session: Session, lead_id: int, until: datetime) -> list[dict[str, Any]]:
    query = (select(Event.at, Event.data).where(Event.subject_type == "lead", Event.subject_id == lead_id,
                                                Event.type == "lead.scored", Event.at <= until)
             .order_by(Event.at, Event.id))
    return [{"at": at.isoformat(), "score": data.get("total"), "fit": data.get("fit"),
             "engagement": data.get("engagement"), "reason": data.get("reason")} for at, data in session.execute(query)]


def _rejections(session: Session, lead_id: int, playbook: Playbook, until: datetime) -> list[dict[str, Any]]:
    query = (select(Offer.decided_at, Offer.reason_code, Offer.note, User.email)
             .join(User, User.id == Offer.rep_id)
             .where(Offer.lead_id == lead_id, Offer.outcome == OfferOutcome.rejected.value, Offer.decided_at <= until)
             .order_by(Offer.decided_at, Offer.id))
    return [{"at": at.isoformat() if at else None, "rep": rep, "reason": code,
             "reason_label": reason.label if (reason := playbook.reject_reason(code)) else code, "note": note}
            for at, code, note, rep in session.execute(query)]


def _committee(session: Session, lead: Lead, playbook: Playbook, now: datetime) -> dict[str, Any] | None:
    from revteam.leads.committee import account_coverage, committee_map

    if lead.account_id is None:
        return None
    coverage = account_coverage(session, [lead.account_id], playbook=playbook, now=now)[lead.account_id]
    return {**coverage.as_json(), "people": committee_map(session, lead.account_id, playbook=playbook, now=now)}


def _built(session: Session, graduation: Graduation, *, now: datetime) -> dict[str, Any]:
    """The package of this graduation from the records up to `now` (every committee person): the demo, which
    writes its history in bulk, freezes each graduation from records that go on past it."""
    from revteam.playbook.versions import active

    lead, playbook = session.get(Lead, graduation.lead_id), active(session).playbook
    track = playbook.track(graduation.track_id) if graduation.track_id else None
    touches = _touches(session, lead, playbook, until=now)
    return {
        "graduated_at": graduation.graduated_at.isoformat(), "track": graduation.track_id,
        "track_name": track.name if track else None, "held": graduation.criteria,
        "criteria": _criteria(session, graduation), "touches": touches, "engagement_by_month": _by_month(touches),
        "score_history": _scores(session, lead.id, until=now), "committee": _committee(session, lead, playbook, now),
        "rejections": _rejections(session, lead.id, playbook, until=now), "frozen_at": None,
    }


def freeze_package(session: Session, graduation: Graduation) -> None:
    """Store the package on the graduation as it stands at the moment the lead graduates."""
    graduation.package = {**_built(session, graduation, now=graduation.graduated_at),
                          "frozen_at": graduation.graduated_at.isoformat()}


def _people_seen(session: Session, viewer: User | None, packages: list[dict[str, Any]]) -> Collection[int] | None:
    """The committee people of these packages the viewer may see (one query), or None when they see everyone."""
    if viewer is None or not packages:
        return None
    from revteam.leads.access import sees_every_lead, visible_people

    if sees_every_lead(session, viewer):
        return None
    ids = {person["person_id"] for package in packages if package["committee"]
           for person in package["committee"]["people"]}
    if not ids:
        return set()
    return set(session.scalars(select(Person.id).where(Person.id.in_(ids), visible_people(session, viewer))))


def _for_viewer(package: dict[str, Any], seen: Collection[int] | None) -> dict[str, Any]:
    committee = package["committee"]
    if seen is None or committee is None:
        return package
    return {**package, "committee": {**committee, "people": [p for p in committee["people"] if p["person_id"] in seen]}}


def graduation_packages(session: Session, lead_ids: Collection[int], *, viewer: User | None,
                        now: datetime) -> dict[int, dict[str, Any]]:
    """The package of each of these leads' latest graduation, by lead id (leads never graduated are left
    out): frozen ones in one query whatever their number. `viewer` (None: the operator) limits the
    committee's people to those they may see."""
    graduations = latest_graduations(session, lead_ids)
    packages = {lead_id: graduation.package or _built(session, graduation, now=now)
                for lead_id, graduation in graduations.items()}
    seen = _people_seen(session, viewer, list(packages.values()))
    return {lead_id: _for_viewer(package, seen) for lead_id, package in packages.items()}


def graduation_package(session: Session, lead_id: int, *, viewer: User | None, now: datetime) -> dict[str, Any] | None:
    """The lead's package since its latest graduation, or None when it never graduated."""
    return graduation_packages(session, [lead_id], viewer=viewer, now=now).get(lead_id)
