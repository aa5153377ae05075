"""What the inbox and the cultivation board read: open offers, their context, recent activity."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.db.base import utcnow
from revteam.events.models import Event
from revteam.leads.access import acts_for, visible_leads
from revteam.leads.committee import account_coverage
from revteam.leads.scoring.explanation import score_explanations
from revteam.leads.models import Lead
from revteam.playbook.versions import active
from revteam.routing.models import Offer, OfferOutcome
from revteam.users.models import User


def open_offers(session: Session, viewer: User, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Open offers to the reps the viewer acts for, the nearest deadline first, with lead, person, account and rep."""
    query = (select(Offer, Lead, Person, Account, User.name.label("rep"))
             .join(Lead, Lead.id == Offer.lead_id).join(Person, Person.id == Lead.person_id)
             .outerjoin(Account, Account.id == Lead.account_id).join(User, User.id == Offer.rep_id)
             .where(acts_for(session, viewer, Offer.rep_id), visible_leads(session, viewer),
                    Offer.outcome == OfferOutcome.open, Lead.owner_id == Offer.rep_id)
             .order_by(Offer.accept_by, Offer.id))
    rows = [{"offer": o, "lead": lead, "person": p, "account": a, "rep": rep} for o, lead, p, a, rep in session.execute(query)]
    explanations = score_explanations(session, [row["lead"].id for row in rows])
    committees = account_coverage(session, {row["account"].id for row in rows if row["account"]},
                                  playbook=active(session).playbook, now=now or utcnow())
    for row in rows:
        row["score"] = explanations.get(row["lead"].id)
        row["committee"] = committees.get(row["account"].id) if row["account"] else None
    return rows


def recent_activity(session: Session, viewer: User, *, limit: int = 12) -> list[dict[str, Any]]:
    """The latest events on the leads most recently offered to the reps the viewer acts for."""
    lead_ids = (select(Offer.lead_id).join(Lead, Lead.id == Offer.lead_id)
                .where(acts_for(session, viewer, Offer.rep_id), visible_leads(session, viewer))
                .order_by(Offer.id.desc()).limit(30))
    query = (select(Event).where(Event.subject_type == "lead", Event.subject_id.in_(lead_ids))
             .order_by(Event.id.desc()).limit(limit))
    return [{"lead_id": e.subject_id, "type": e.type, "at": e.at, "actor": e.actor, "data": e.data}
            for e in session.scalars(query)]
