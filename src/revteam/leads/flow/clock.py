"""The lead flow the clock drives: SLA warnings and expiries, auto-evaluation, lost leads' return.

Each function is called by a due job and first checks that the situation it was scheduled
for still holds (the offer still open, the lead still lost...): a rep who acted in time, or
a person who acted first, makes the job a no-op rather than an error.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from revteam.events.service import record
from revteam.leads.access import managers_of
from revteam.leads.flow.actions import return_to_cultivation, settle_rejection
from revteam.leads.flow.moves import apply_move
from revteam.leads.flow.offering import offer_lead
from revteam.leads.models import Lead
from revteam.leads.states import LeadState, Move
from revteam.notify.service import notify_user
from revteam.playbook.versions import active
from revteam.routing import offers
from revteam.routing.models import Offer, OfferOutcome, Stage
from revteam.routing.service import NoEligibleRep
from revteam.users.models import User

CLOCK = "system:sla"


def _live_offer(session: Session, offer_id: int, outcome: OfferOutcome,
                state: LeadState) -> tuple[Offer, Lead] | None:
    offer = session.get(Offer, offer_id)
    lead = session.get(Lead, offer.lead_id) if offer else None
    if offer is None or lead is None or offer.outcome != outcome:
        return None
    if lead.state != state or lead.owner_id != offer.rep_id:
        return None
    return offer, lead


def warn_offer(session: Session, *, offer_id: int, now: datetime) -> bool:
    """Remind the rep before the accept clock runs out; False when they already decided."""
    live = _live_offer(session, offer_id, OfferOutcome.open, LeadState.ROUTED)
    if live is None:
        return False
    offer, lead = live
    record(session, type="lead.sla_warning", subject_type="lead", subject_id=lead.id, actor=CLOCK, at=now,
           data={"offer": offer.id, "accept_by": offer.accept_by.isoformat()})
    notify_user(session, user_id=offer.rep_id, kind="lead.sla_warning", lead_id=lead.id, now=now,
                subject=f"Lead {lead.id}: accept or reject soon",
                text=f"Lead {lead.id} goes to someone else at {offer.accept_by:%Y-%m-%d %H:%M} UTC "
                     "unless you accept or reject it.")
    return True


def _escalate(session: Session, lead: Lead, offer: Offer, *, now: datetime, why: str) -> None:
    rep = session.get(User, offer.rep_id)
    managers = managers_of(session, offer.rep_id)
    record(session, type="lead.escalated", subject_type="lead", subject_id=lead.id, actor=CLOCK, at=now,
           data={"why": why, "rep": rep.email, "managers": [m.email for m in managers], "offer": offer.id})
    for manager in managers:
        notify_user(session, user_id=manager.id, kind="lead.escalated", lead_id=lead.id, now=now,
                    subject=f"Lead {lead.id} escalated: {why.replace('_', ' ')}",
                    text=f"{rep.email} missed the {why.replace('_', ' ')} deadline on lead {lead.id}.")


def expire_offer(session: Session, *, offer_id: int, now: datetime) -> str | None:
    """Nobody accepted in time: do what the playbook's `on_accept_expiry` says; returns what was done."""
    live = _live_offer(session, offer_id, OfferOutcome.open, LeadState.ROUTED)
    if live is None:
        return None
    offer, lead = live
    policy = active(session).playbook.sla.on_accept_expiry
    offers.decide_offer(session, offer, OfferOutcome.expired, at=now)
    record(session, type="lead.sla_expired", subject_type="lead", subject_id=lead.id, actor=CLOCK, at=now,
           data={"offer": offer.id, "rep": session.get(User, offer.rep_id).email, "then": policy})
    if policy == "escalate_and_reroute":
        _escalate(session, lead, offer, now=now, why="accept_expired")
    if policy != "return_to_cultivation":
        try:
            offer_lead(session, lead=lead, move=Move.EXPIRE_ESCALATE, actor=CLOCK, now=now, stage=Stage(offer.stage))
            return policy
        except NoEligibleRep as nobody:
            why = str(nobody)
    else:
        why = "accept SLA expired"
    return_to_cultivation(session, lead=lead, move=Move.EXPIRE_RETURN, actor=CLOCK, now=now, why=why)
    return "return_to_cultivation"


def first_touch_overdue(session: Session, *, offer_id: int, now: datetime) -> bool:
    """The rep accepted but never made contact in time: the manager is told."""
    live = _live_offer(session, offer_id, OfferOutcome.accepted, LeadState.ACCEPTED)
    if live is None or live[0].touched_at is not None:
        return False
    _escalate(session, live[1], live[0], now=now, why="first_touch_expired")
    return True


def auto_evaluate(session: Session, *, lead_id: int, now: datetime) -> str | None:
    """Nobody evaluated a rejected lead in time: the reject reason's default applies."""
    lead = session.get(Lead, lead_id)
    offer = offers.latest_offer(session, lead_id) if lead else None
    if lead is None or lead.state != LeadState.REJECTED or offer is None or offer.outcome != OfferOutcome.rejected:
        return None
    return settle_rejection(session, lead=lead, offer=offer, actor=CLOCK, now=now)


def recultivate_lead(session: Session, *, lead_id: int, now: datetime) -> bool:
    """A good-fit lost lead comes back to cultivation after the playbook's delay."""
    lead = session.get(Lead, lead_id)
    if lead is None or lead.state != LeadState.LOST:
        return False
    apply_move(session, lead, Move.RECULTIVATE, now=now, owner_id=None)
    offers.clear_offers(session, lead.id, at=now)
    record(session, type="lead.recultivated", subject_type="lead", subject_id=lead.id, actor=CLOCK, at=now)
    return True
