"""My leads: what a rep is working (for a manager, what their reps work), the next deadline first.

A lead is worked while it is routed (offered, waiting for accept or reject) or accepted; its next
deadline is the live offer's SLA: accept-by while open, first-contact-by while accepted and not yet
touched, none after the first contact.
"""

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
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
    return case((Offer.outcome == OfferOutcome.open.value, Offer.accept_by), else_=Offer.first_touch_by)


# A worked lead's live offer: open (accept-by) or accepted and untouched (first-contact-by) has a
# deadline; accepted and touched has none. Each set is read by its own query in its own order, so a
# page never sorts every lead in work. The few offers with a deadline are found by their index
# (`ix_offers_touch_due`); the contacted leads are the accepted ones in work less those few, read from
# the leads (accepted offers stay accepted after the lead closes: read from the offers, a rep's page
# went through every accepted offer of the company).
_WITH_DEADLINE = or_(Offer.outcome == OfferOutcome.open.value,
                     and_(Offer.outcome == OfferOutcome.accepted.value, Offer.touched_at.is_(None)))


def _live(offer_state: ColumnElement[bool]) -> ColumnElement[bool]:
    # `rep_id + 0` keeps SQLite off the rep's index: reading every offer of the owner for each lead,
    # where the lead's own two or three offers are one index probe away.
    return and_(Offer.lead_id == Lead.id, Offer.rep_id + 0 == Lead.owner_id, offer_state)


def _in_work(session: Session, user: User) -> list[ColumnElement[bool]]:
    return [Lead.state.in_(WORKED), visible_leads(session, user, few=True), acts_for(session, user, Lead.owner_id)]


def _with_deadline(session: Session, user: User) -> Select:
    return select(Lead.id).join(Offer, _live(_WITH_DEADLINE)).where(*_in_work(session, user))


def _contacted(session: Session, user: User) -> Select:
    accepted = Offer.outcome == OfferOutcome.accepted.value
    return select(Lead.id).where(*_in_work(session, user), Lead.state == LeadState.ACCEPTED.value,
                                 exists().where(_live(accepted)), Lead.id.not_in(_with_deadline(session, user)))


def _rows(session: Session, page: Select, order: tuple, now: datetime) -> list[dict]:
    """The rows of the page's leads (chosen first, on the leads and offers alone), in this order."""
    chosen = page.subquery()
    deadline = _deadline().label("deadline")
    query = (select(_SHOWN_LEAD, _SHOWN_PERSON, Account.name, User.name, _SHOWN_OFFER, deadline)
             .join(chosen, chosen.c.id == Lead.id)
             .join(Offer, _live(Offer.outcome.in_([OfferOutcome.open.value, OfferOutcome.accepted.value])))
             .join(Person, Person.id == Lead.person_id).outerjoin(Account, Account.id == Lead.account_id)
             .join(User, User.id == Lead.owner_id).order_by(*order))
    return [{"lead": lead, "person": person, "account": account, "owner": owner, "offer": offer,
             "deadline": due, "kind": _kind(offer), "left": (due - now).total_seconds() if due else None}
            for lead, person, account, owner, offer, due in session.execute(query)]


def _count(session: Session, query: Select, read: int, limit: int) -> int:
    return read if read < limit else session.scalar(select(func.count()).select_from(query.subquery()))


def working_leads(session: Session, user: User, *, now: datetime) -> dict:
    """The leads `user` works (or acts for), soonest deadline first, then the contacted ones by id: rows
    and the whole count."""
    by_deadline = (_deadline(), Lead.id)
    due = _rows(session, _with_deadline(session, user).order_by(*by_deadline).limit(PAGE), by_deadline, now)
    room = PAGE - len(due)
    contacted = _rows(session, _contacted(session, user).order_by(Lead.id + 0).limit(room), (Lead.id,), now) if room else []
    total = (_count(session, _with_deadline(session, user), len(due), PAGE)
             + _count(session, _contacted(session, user), len(contacted), max(room, 1)))
    return {"rows": due + contacted, "total": total}


def _kind(offer) -> str:
    if offer.outcome == OfferOutcome.open:
        return "accept or reject"
    return "first contact" if offer.touched_at is None else "contacted"
