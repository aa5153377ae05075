"""My leads: what a rep is working (for a manager, what their reps work), the next deadline first.

A lead is worked while it is routed (offered, waiting for accept or reject) or accepted; its next
deadline is the live offer's SLA: accept-by while open, first-contact-by while accepted and not yet
touched, none after the first contact.
"""

from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Bundle, Session

from revteam.accounts.models import Account, Person
from revteam.leads.access import acts_for, visible_leads
from revteam.leads.models import Lead
from revteam.leads.states import LeadState
from revteam.routing.models import Offer, OfferOutcome
from revteam.users.models import User

WORKED = (LeadState.ROUTED.value, LeadState.ACCEPTED.value)
PAGE = 500
# What a row shows, read as plain columns: a manager's 500 rows built as lead, person and offer
# objects cost more than their query.
_SHOWN_LEAD = Bundle("lead", Lead.id, Lead.state)
_SHOWN_PERSON = Bundle("person", Person.first_name, Person.last_name, Person.email, Person.title)
_SHOWN_OFFER = Bundle("offer", Offer.outcome, Offer.touched_at)


def _deadline():
    return case(
        (Offer.outcome == OfferOutcome.open.value, Offer.accept_by),
        (and_(Offer.outcome == OfferOutcome.accepted.value, Offer.touched_at.is_(None)), Offer.first_touch_by),
        else_=None)


def _worked_by(session: Session, user: User):
    live = and_(Offer.lead_id == Lead.id, Offer.rep_id == Lead.owner_id,
                Offer.outcome.in_([OfferOutcome.open.value, OfferOutcome.accepted.value]))
    return (select(Lead).join(Offer, live)
            .where(Lead.state.in_(WORKED), visible_leads(session, user), acts_for(session, user, Lead.owner_id)))


def working_leads(session: Session, user: User, *, now: datetime) -> dict:
    """The leads `user` works (or acts for), soonest deadline first: rows and the whole count."""
    deadline = _deadline().label("deadline")
    query = (_worked_by(session, user)
             .join(Person, Person.id == Lead.person_id).outerjoin(Account, Account.id == Lead.account_id)
             .join(User, User.id == Lead.owner_id)
             .with_only_columns(_SHOWN_LEAD, _SHOWN_PERSON, Account.name, User.name, _SHOWN_OFFER, deadline)
             .order_by(deadline.is_(None), deadline, Lead.id).limit(PAGE))
    rows = [{"lead": lead, "person": person, "account": account, "owner": owner, "offer": offer,
             "deadline": due, "kind": _kind(offer), "left": (due - now).total_seconds() if due else None}
            for lead, person, account, owner, offer, due in session.execute(query)]
    total = len(rows) if len(rows) < PAGE else session.scalar(
        _worked_by(session, user).with_only_columns(func.count(Lead.id)))
    return {"rows": rows, "total": total}


def _kind(offer) -> str:
    if offer.outcome == OfferOutcome.open:
        return "accept or reject"
    return "first contact" if offer.touched_at is None else "contacted"
