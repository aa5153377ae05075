"""What the inbox and the cultivation board read: open offers, their context, recent activity."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.db.base import utcnow
from revteam.errors import BadInput, quoted
from revteam.events.models import Event
from revteam.leads.access import acts_for, visible_leads
from revteam.leads.event_words import phrase
from revteam.leads.committee import account_coverage
from revteam.leads.scoring.explanation import score_explanations
from revteam.leads.scoring.predictive.predictions import predictions_by_lead
from revteam.leads.models import Lead
from revteam.playbook.versions import active
from revteam.routing.models import Offer, OfferOutcome
from revteam.users.models import User


def _waiting(session: Session, viewer: User) -> list[ColumnElement[bool]]:
    """Open offers to the reps the viewer acts for, on leads they may see and the rep still holds."""
    return [acts_for(session, viewer, Offer.rep_id), visible_leads(session, viewer, few=True),
            Offer.outcome == OfferOutcome.open, Lead.owner_id == Offer.rep_id]


def waiting_count(session: Session, viewer: User) -> int:
    """How many offers wait in the viewer's inbox (all of them, whichever page is shown)."""
    return session.scalar(select(func.count()).select_from(Offer).join(Lead, Lead.id == Offer.lead_id)
                          .where(*_waiting(session, viewer)))


def parse_cursor(text: str) -> tuple[datetime, int]:
    """The `after` cursor a next-page link carries: '<accept by>~<offer id>'; BadInput if unreadable."""
    accept_by, _, offer_id = text.rpartition("~")
    try:
        return datetime.fromisoformat(accept_by), int(offer_id)
    except ValueError:
        raise BadInput(f"{quoted(text)} is not a page of the inbox (follow its next link)", where="after") from None


def cursor_of(offer: Offer) -> str:
    return f"{offer.accept_by.isoformat()}~{offer.id}"


def open_offers(session: Session, viewer: User, *, now: datetime | None = None, after: tuple[datetime, int] | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
    """Open offers to the reps the viewer acts for, the nearest deadline first, with lead, person, account and rep:
    `limit` of them after the cursor (accept by, offer id), or every one."""
    query = (select(Offer, Lead, Person, Account, User.name.label("rep"))
             .join(Lead, Lead.id == Offer.lead_id).join(Person, Person.id == Lead.person_id)
             .outerjoin(Account, Account.id == Lead.account_id).join(User, User.id == Offer.rep_id)
             .where(*_waiting(session, viewer)).order_by(Offer.accept_by, Offer.id).limit(limit))
    if after is not None:
        accept_by, offer_id = after
        query = query.where(or_(Offer.accept_by > accept_by, and_(Offer.accept_by == accept_by, Offer.id > offer_id)))
    rows = [{"offer": o, "lead": lead, "person": p, "account": a, "rep": rep} for o, lead, p, a, rep in session.execute(query)]
    explanations = score_explanations(session, [row["lead"].id for row in rows])
    predicted = predictions_by_lead(session, [row["lead"].id for row in rows])
    committees = account_coverage(session, {row["account"].id for row in rows if row["account"]},
                                  playbook=active(session).playbook, now=now or utcnow())
    for row in rows:
        row["score"] = explanations.get(row["lead"].id)
        row["predicted"] = predicted.get(row["lead"].id)
        row["committee"] = committees.get(row["account"].id) if row["account"] else None
    return rows


def recent_activity(session: Session, viewer: User, *, limit: int = 12) -> list[dict[str, Any]]:
    """The latest events on the leads most recently offered to the reps the viewer acts for, in words
    with the lead's name; a run of the same kind of event on one lead is one line with its count."""
    # Newest offers first by their own key, each checked (`+ 0` keeps the reps' index out: read through it,
    # every offer of a manager's team was fetched and sorted to keep 30).
    lead_ids = (select(Offer.lead_id).join(Lead, Lead.id == Offer.lead_id)
                .where(acts_for(session, viewer, Offer.rep_id + 0), visible_leads(session, viewer, few=True))
                .order_by(Offer.id.desc()).limit(30))
    query = (select(Event, Person.first_name, Person.last_name, Person.email)
             .join(Lead, Lead.id == Event.subject_id).join(Person, Person.id == Lead.person_id)
             .where(Event.subject_type == "lead", Event.subject_id.in_(lead_ids))
             .order_by(Event.at.desc(), Event.id.desc()).limit(limit * 4))
    activity: list[dict[str, Any]] = []
    for event, first_name, last_name, email in session.execute(query):
        latest = activity[-1] if activity else None
        if latest and latest["lead_id"] == event.subject_id and latest["type"] == event.type:
            latest["times"] += 1
            continue
        if len(activity) == limit:
            break
        activity.append({"lead_id": event.subject_id, "lead": " ".join(filter(None, [first_name, last_name])) or email,
                         "type": event.type, "what": phrase(event.type, event.data), "at": event.at,
                         "actor": event.actor, "times": 1})
    return activity
