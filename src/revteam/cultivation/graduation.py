"""Graduation: a cultivated lead that meets the playbook's SQL criteria goes to sales.

Someone confirms the SQL criteria (budget, authority, need, timing) on a lead; when every part of
the playbook's `graduation:` holds (leads/scoring/facts.py builds what it reads, cultivation/rules.py
says what is missing), the lead leaves its track, becomes an MQL (the version-guarded move of the
one state machine), a `graduations` row credits its track and `lead.graduated` is recorded; then
routing offers it to a rep as it offers any MQL (when nobody can take it now, the route-ready job
tries again). The sweep checks the leads whose required criteria are all confirmed; confirming a
criterion checks its lead at once. The rep reads the history package (cultivation/package.py).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.cultivation import rules, service
from revteam.cultivation.models import EnrollmentState, TrackEnrollment
from revteam.cultivation.package import freeze_package
from revteam.errors import BadInput, Conflict
from revteam.events.service import record
from revteam.leads.access import may_act, require_may_act, require_visible
from revteam.leads.flow.moves import apply_move
from revteam.leads.flow.offering import offer_lead
from revteam.leads.models import Graduation, Lead, LeadCriterion
from revteam.leads.scoring.facts import confirmed_criteria, facts_for_lead, still_counted
from revteam.leads.states import LeadState, Move
from revteam.playbook.versions import active
from revteam.routing.service import NoEligibleRep
from revteam.users.models import User

GRADUATED = "lead.graduated"


def readiness(session: Session, lead_id: int, *, now: datetime) -> dict[str, Any]:
    """The criteria confirmed on the lead (since it last graduated), what the playbook's graduation asks, and
    what is still missing."""
    playbook = active(session).playbook
    graduation, facts = playbook.graduation, facts_for_lead(session, lead_id, now=now, read_by=[playbook])
    return {"confirmed": sorted(rules.listed(facts["lead.confirmed_criteria"])),
            "requires": graduation.model_dump(mode="json"), "missing": rules.graduation_misses(graduation, facts)}


def _enrollment_of_stay(session: Session, lead: Lead) -> TrackEnrollment | None:
    query = select(TrackEnrollment).where(TrackEnrollment.lead_id == lead.id,
                                          TrackEnrollment.lead_version == lead.version)
    return session.scalar(query)


def graduate(session: Session, lead: Lead, *, now: datetime, actor: str) -> Graduation | None:
    """Graduate the cultivating lead when the playbook's graduation holds for it, then route it; None when
    it does not hold (or the lead is not cultivating). Conflict when the lead moved meanwhile (nothing changed)."""
    if lead.state != LeadState.CULTIVATING:
        return None
    current = active(session)
    facts = facts_for_lead(session, lead.id, now=now, read_by=[current.playbook])
    if rules.graduation_misses(current.playbook.graduation, facts):
        return None
    stay_version, enrollment = lead.version, _enrollment_of_stay(session, lead)
    apply_move(session, lead, Move.QUALIFY, now=now)  # first: a lost race changes nothing
    if enrollment is not None and enrollment.state == EnrollmentState.active:
        service.exit_enrollment(session, enrollment, now=now, why="graduated")
    held = {"confirmed": sorted(rules.listed(facts["lead.confirmed_criteria"])), "score": facts["lead.score"],
            "engaged_roles": facts["account.engaged_roles"], "missing_roles": facts["account.missing_roles"]}
    graduation = Graduation(lead_id=lead.id, lead_version=stay_version, enrollment_id=enrollment and enrollment.id,
                            track_id=enrollment and enrollment.track_id, graduated_at=now, criteria=held,
                            playbook_version_id=current.version_id)
    session.add(graduation)
    session.flush()
    freeze_package(session, graduation)
    record(session, type=GRADUATED, subject_type="lead", subject_id=lead.id, actor=actor, at=now,
           data={"graduation": graduation.id, "track": graduation.track_id, **held})
    try:
        offer_lead(session, lead=lead, move=Move.ROUTE, actor=service.ACTOR, now=now)
    except NoEligibleRep:
        pass  # it waits as an MQL: the route-ready job offers it when a rep is free
    return graduation


def _ready_leads(required: list[str], after_id: int, limit: int):
    """Cultivating leads with every required criterion confirmed (since they last graduated), by id."""
    confirmed_all = (select(LeadCriterion.lead_id).where(LeadCriterion.criterion.in_(required), still_counted())
                     .group_by(LeadCriterion.lead_id)
                     .having(func.count(LeadCriterion.criterion.distinct()) == len(required)))
    return (select(Lead).where(Lead.state == LeadState.CULTIVATING, Lead.id.in_(confirmed_all), Lead.id > after_id)
            .order_by(Lead.id).limit(limit))


def graduate_ready(session: Session, *, now: datetime, limit: int = service.SWEEP_BATCH) -> int:
    """Graduate up to `limit` cultivating leads whose required criteria are all confirmed and for whom the
    rest of the graduation holds, oldest first; a lead moved meanwhile is left for the next sweep."""
    required = active(session).playbook.graduation.confirmed
    graduated, after_id = 0, 0
    while graduated < limit and (leads := session.scalars(_ready_leads(required, after_id, limit)).all()):
        for lead in leads:
            try:
                graduated += graduate(session, lead, now=now, actor=service.ACTOR) is not None
            except Conflict:
                continue
        after_id = leads[-1].id
    return graduated


def sweep_with_graduation(session: Session, *, now: datetime, limit: int = service.SWEEP_BATCH) -> dict[str, int]:
    """The cultivation sweep: graduate the qualified first, then take leavers out and enroll the waiting."""
    graduated = graduate_ready(session, now=now, limit=limit)
    return {"graduated": graduated, **service.sweep(session, now=now, limit=limit)}


def _criteria_asked(session: Session, criteria: list[str]) -> list[str]:
    known = [criterion.id for criterion in active(session).playbook.sql_criteria]
    asked = list(dict.fromkeys(name.strip().casefold() for name in criteria if name.strip()))
    if not asked:
        raise BadInput(f"name the criteria confirmed, among {', '.join(known)}", where="criteria")
    if unknown := [name for name in asked if name not in known]:
        raise BadInput(f"{', '.join(unknown)} is not among the playbook's sql_criteria ({', '.join(known)})",
                       where="criteria")
    return asked


def _confirm_action(lead: Lead) -> str:
    """Criteria are confirmed by whoever works the lead: its owner's side, or those who route unowned leads."""
    return "work" if lead.owner_id else "route"


def may_confirm(session: Session, user: User, lead: Lead) -> bool:
    """`confirm_criteria` as a yes or no, for the lead page."""
    return may_act(session, user, action=_confirm_action(lead), rep_id=lead.owner_id)


def confirm_criteria(session: Session, *, lead_id: int, actor: User, criteria: list[str], now: datetime,
                     note: str | None = None) -> dict[str, Any]:
    """Confirm SQL criteria on a lead (`_confirm_action` says who may); confirming one
    still confirmed (since the lead last graduated) changes nothing. A cultivating lead that now meets the
    graduation graduates at once."""
    asked = _criteria_asked(session, criteria)
    lead = require_visible(session, actor, lead_id)
    require_may_act(session, actor, lead_id=lead.id, action=_confirm_action(lead), verb="confirm criteria on",
                    rep_id=lead.owner_id)
    note = (note or "").strip() or None
    already = set(confirmed_criteria(session, [lead.id]).get(lead.id, []))
    added = [name for name in asked if name not in already]
    session.add_all([LeadCriterion(lead_id=lead.id, criterion=name, confirmed_at=now, confirmed_by=actor.email,
                                   note=note) for name in added])
    session.flush()
    if added:
        record(session, type="lead.criteria_confirmed", subject_type="lead", subject_id=lead.id, actor=actor.email,
               at=now, data={"criteria": added, "note": note})
    ready = readiness(session, lead.id, now=now)  # before graduating consumes the confirmations
    graduation = graduate(session, lead, now=now, actor=actor.email)
    return {"lead_id": lead.id, "added": added, "graduated": graduation is not None, **ready}
