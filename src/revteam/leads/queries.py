"""What the lead and account pages read beyond the lead's story: offers, people, engagement."""

from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.cultivation.models import EnrollmentState, TrackEnrollment
from revteam.cultivation.queries import current_stay, enrollment_view, latest_enrollment
from revteam.errors import NotFound
from revteam.leads.models import Activity, Lead
from revteam.periods import Month, midnight
from revteam.playbook.versions import active
from revteam.routing.models import Offer
from revteam.users.models import User


def offers(session: Session, lead_id: int) -> list[dict[str, Any]]:
    """Every offer of the lead, oldest first, with the rep and why the rule chose them."""
    query = (select(Offer, User.email, User.name).join(User, User.id == Offer.rep_id)
             .where(Offer.lead_id == lead_id).order_by(Offer.id))
    return [{"offer": offer, "rep": email, "rep_name": name} for offer, email, name in session.execute(query)]


def account_people(session: Session, account_id: int) -> list[dict[str, Any]]:
    """The account's people with committee role, their touches and their latest lead."""
    touches = (select(Activity.person_id, func.count().label("touches"), func.max(Activity.at).label("last_touch"))
               .join(Person, Person.id == Activity.person_id).where(Person.account_id == account_id)
               .group_by(Activity.person_id).subquery())
    latest = (select(Lead.person_id, func.max(Lead.id).label("lead_id"))
              .where(Lead.account_id == account_id).group_by(Lead.person_id).subquery())
    query = (select(Person, touches.c.touches, touches.c.last_touch, Lead)
             .outerjoin(touches, touches.c.person_id == Person.id)
             .outerjoin(latest, latest.c.person_id == Person.id)
             .outerjoin(Lead, Lead.id == latest.c.lead_id)
             .where(Person.account_id == account_id)
             .order_by(Person.committee_role.is_(None), Person.committee_role, Person.last_name))
    return [{"person": person, "name": " ".join(filter(None, [person.first_name, person.last_name])),
             "touches": count or 0, "last_touch": last, "lead": lead}
            for person, count, last, lead in session.execute(query)]


def get_account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"no account {account_id}")
    return account


def account_leads(session: Session, account_id: int, *, reps: list[int] | None) -> list[dict[str, Any]]:
    """The account's leads, newest first, with person and owner; `reps` limits them to those reps' leads."""
    query = (select(Lead, Person.first_name, Person.last_name, User.name.label("owner"))
             .join(Person, Person.id == Lead.person_id).outerjoin(User, User.id == Lead.owner_id)
             .where(Lead.account_id == account_id).order_by(Lead.id.desc()))
    if reps is not None:
        query = query.where(Lead.owner_id.in_(reps))
    return [{"lead": lead, "name": " ".join(filter(None, [first, last])), "owner": owner}
            for lead, first, last, owner in session.execute(query)]


def track_enrollment(session: Session, lead_id: int, *, now: datetime) -> dict[str, Any] | None:
    """The lead's latest cultivation track in words (track, step, next step due), or None."""
    enrollment = latest_enrollment(session, lead_id)
    return enrollment_view(enrollment, active(session).playbook, now=now) if enrollment else None


def _in_track(query, track: str, finished: bool):
    """Leads whose current stay in cultivation is in this track (still in it, or `finished`);
    `none`: leads not enrolled during their current stay."""
    enrolled = exists().where(current_stay())
    if track == "none":
        return query.where(~enrolled)
    ended = TrackEnrollment.state != EnrollmentState.active
    return query.where(enrolled.where(TrackEnrollment.track_id == track, ended if finished else ~ended))


def filtered_leads(session: Session, *, reps: list[int] | None, month: str | None = None, source: str | None = None,
                   state: str | None = None, mql: bool = False, created_from=None, created_to=None,
                   track: str | None = None, finished: bool = False, limit: int = 200) -> list[dict[str, Any]]:
    """Leads behind a dashboard number, newest first; `reps` limits them to those reps' leads."""
    query = (select(Lead, Person.first_name, Person.last_name, Account.name.label("account"), User.name.label("owner"))
             .join(Person, Person.id == Lead.person_id).outerjoin(Account, Account.id == Lead.account_id)
             .outerjoin(User, User.id == Lead.owner_id).order_by(Lead.id.desc()).limit(limit))
    if month:
        created = Month.parse(month)
        created_from, created_to = midnight(created.start), midnight(created.end)
    if created_from:
        query = query.where(Lead.created_at >= created_from)
    if created_to:
        query = query.where(Lead.created_at < created_to)
    if source:
        query = query.where(Lead.source == source) if source != "unknown" else query.where(Lead.source.is_(None))
    if state:
        query = query.where(Lead.state == state)
    if mql:
        query = query.where(Lead.is_mql.is_(True))
    if track:
        query = _in_track(query, track, finished)
    if reps is not None:
        offered = exists().where(Offer.lead_id == Lead.id, Offer.rep_id.in_(reps))
        query = query.where(or_(Lead.owner_id.in_(reps), offered))
    return [{"lead": lead, "name": " ".join(filter(None, [first, last])), "account": account, "owner": owner}
            for lead, first, last, account, owner in session.execute(query)]
