"""Offering a lead to a rep: routing's decision carried out.

Routing decides (`routing/service.py`) from the facts and open loads handed in here; the flow
moves the lead to the chosen rep (version-guarded), has routing store the offer, records
`lead.routed`, starts the accept clock and tells the rep.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.events.service import record
from revteam.leads.flow.moves import apply_move
from revteam.leads.flow.timers import start_accept_clock
from revteam.leads.models import Lead
from revteam.leads.scoring.facts import facts_for_lead
from revteam.leads.states import LeadState, Move
from revteam.notify.service import notify_user
from revteam.playbook.versions import active
from revteam.routing import service as routing
from revteam.routing.models import Offer, Stage

# A lead counts against a rep's capacity while it is offered to them or they work it.
LOADED_STATES = (LeadState.ROUTED, LeadState.ACCEPTED)


def open_loads(session: Session) -> dict[int, int]:
    """Open leads per owner (routed or accepted), in one grouped query."""
    query = (
        select(Lead.owner_id, func.count())
        .where(Lead.state.in_([state.value for state in LOADED_STATES]), Lead.owner_id.is_not(None))
        .group_by(Lead.owner_id)
    )
    return dict(session.execute(query).all())


def offer_lead(session: Session, *, lead: Lead, move: Move, actor: str, now: datetime,
               stage: Stage = Stage.sdr) -> Offer:
    """Route the lead by `move` to the rep the playbook picks, or NoEligibleRep (nothing changed)."""
    facts = facts_for_lead(session, lead.id, read_by=[active(session).playbook])
    route = routing.decide(session, lead_id=lead.id, facts=facts, open_loads=open_loads, now=now, stage=stage)
    apply_move(session, lead, move, now=now, owner_id=route.rep_id)
    offer = routing.make_offer(session, route, now=now)
    record(session, type="lead.routed", subject_type="lead", subject_id=lead.id, actor=actor, at=now,
           data={**route.decision, "offer": offer.id, "accept_by": offer.accept_by.isoformat()})
    start_accept_clock(session, offer, warn_before=timedelta(minutes=active(session).playbook.sla.warn_before_minutes))
    notify_user(session, user_id=offer.rep_id, kind="lead.routed", lead_id=lead.id, now=now,
                subject=f"New lead {lead.id} for you",
                text=f"Lead {lead.id} was routed to you ({route.decision['reason']}). "
                     f"Accept or reject it by {offer.accept_by:%Y-%m-%d %H:%M} UTC.")
    return offer
