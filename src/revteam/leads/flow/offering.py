"""Offering a lead to a rep: what routing reads of the lead, and routing's decision carried out.

Routing decides (`routing/service.py`) from the facts and open loads handed in here; the flow
moves the lead to the chosen rep (version-guarded), has routing store the offer, records
`lead.routed`, starts the accept clock and tells the rep.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.events.service import record
from revteam.leads.flow.moves import apply_move
from revteam.leads.flow.timers import start_accept_clock
from revteam.leads.models import Lead
from revteam.leads.scoring.facts import lead_facts
from revteam.leads.states import LeadState, Move
from revteam.notify.service import notify_user
from revteam.playbook.versions import active
from revteam.routing import service as routing
from revteam.routing.models import Offer, Stage
from revteam.users.models import User

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


def routing_facts(session: Session, lead: Lead) -> dict[str, Any]:
    """The facts routing rules read for this lead (country, account size, owner...)."""
    person = session.get(Person, lead.person_id)
    account = session.get(Account, lead.account_id) if lead.account_id else None
    owner = None
    if account is not None and account.owner_id:
        owner = session.scalar(select(User.email).where(User.id == account.owner_id))
    account_values = None
    if account is not None:
        account_values = {"name": account.name, "domain": account.domain, "employees": account.employees,
                          "industry": account.industry, "country": account.country, "tier": account.tier,
                          "is_competitor": account.is_competitor, "owner": owner}
    domain = person.email.rsplit("@", 1)[-1] if person.email and "@" in person.email else None
    return lead_facts(
        lead={"source": lead.source, "product_interest": lead.product_interest},
        person={"title": person.title, "email_domain": domain, "committee_role": person.committee_role,
                "country": person.country},
        account=account_values,
    )


def offer_lead(session: Session, *, lead: Lead, move: Move, actor: str, now: datetime,
               stage: Stage = Stage.sdr) -> Offer:
    """Route the lead by `move` to the rep the playbook picks, or NoEligibleRep (nothing changed)."""
    route = routing.decide(session, lead_id=lead.id, facts=routing_facts(session, lead), open_loads=open_loads,
                           now=now, stage=stage)
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
