"""What the inbox and the cultivation board read: open offers, their context, recent activity."""

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.accounts.models import COMMITTEE_ROLES, Account, Person
from revteam.events.models import Event
from revteam.leads.access import acts_for, visible_leads
from revteam.leads.event_words import phrase
from revteam.leads.scoring.explanation import score_explanations
from revteam.leads.scoring.predictive.service import predictions_by_lead
from revteam.leads.models import Lead
from revteam.routing.models import Offer, OfferOutcome
from revteam.users.models import User


def open_offers(session: Session, viewer: User) -> list[dict[str, Any]]:
    """Open offers to the reps the viewer acts for, the nearest deadline first, with lead, person, account and rep."""
    query = (select(Offer, Lead, Person, Account, User.name.label("rep"))
             .join(Lead, Lead.id == Offer.lead_id).join(Person, Person.id == Lead.person_id)
             .outerjoin(Account, Account.id == Lead.account_id).join(User, User.id == Offer.rep_id)
             .where(acts_for(session, viewer, Offer.rep_id), visible_leads(session, viewer),
                    Offer.outcome == OfferOutcome.open, Lead.owner_id == Offer.rep_id)
             .order_by(Offer.accept_by, Offer.id))
    rows = [{"offer": o, "lead": lead, "person": p, "account": a, "rep": rep} for o, lead, p, a, rep in session.execute(query)]
    explanations = score_explanations(session, [row["lead"].id for row in rows])
    predicted = predictions_by_lead(session, [row["lead"].id for row in rows])
    committees = committee_coverage(session, {row["account"].id for row in rows if row["account"]})
    for row in rows:
        row["score"] = explanations.get(row["lead"].id)
        row["predicted"] = predicted.get(row["lead"].id)
        row["committee"] = committees.get(row["account"].id) if row["account"] else None
    return rows


def committee_coverage(session: Session, account_ids: set[int]) -> dict[int, dict[str, int]]:
    """Per account, how many known people hold each buying-committee role (0 = missing)."""
    coverage: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COMMITTEE_ROLES, 0))
    if account_ids:
        query = (select(Person.account_id, Person.committee_role, func.count())
                 .where(Person.account_id.in_(account_ids), Person.committee_role.is_not(None))
                 .group_by(Person.account_id, Person.committee_role))
        for account_id, role, count in session.execute(query):
            coverage[account_id][role] = count
    return {account_id: coverage[account_id] for account_id in account_ids}


def recent_activity(session: Session, viewer: User, *, limit: int = 12) -> list[dict[str, Any]]:
    """The latest events on the leads most recently offered to the reps the viewer acts for, in words
    with the lead's name; a run of the same kind of event on one lead is one line with its count."""
    lead_ids = (select(Offer.lead_id).join(Lead, Lead.id == Offer.lead_id)
                .where(acts_for(session, viewer, Offer.rep_id), visible_leads(session, viewer))
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
