"""What the lead and account pages read beyond the lead's story: offers, people, engagement.

Every list is narrowed by the one visibility policy (`leads/access.py`) for the user reading it."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.leads.access import visible_leads, visible_people
from revteam.leads.models import Activity, Lead
from revteam.periods import Month, midnight
from revteam.routing.models import Offer
from revteam.users.models import User


def offers(session: Session, lead_id: int) -> list[dict[str, Any]]:
    """Every offer of the lead, oldest first, with the rep and why the rule chose them."""
    query = (select(Offer, User.email, User.name).join(User, User.id == Offer.rep_id)
             .where(Offer.lead_id == lead_id).order_by(Offer.id))
    return [{"offer": offer, "rep": email, "rep_name": name} for offer, email, name in session.execute(query)]


def account_people(session: Session, account_id: int, *, viewer: User) -> dict[str, Any]:
    """The account's people the viewer may see, with committee role, touches and latest lead, and how
    many others the account has."""
    touches = (select(Activity.person_id, func.count().label("touches"), func.max(Activity.at).label("last_touch"))
               .join(Person, Person.id == Activity.person_id).where(Person.account_id == account_id)
               .group_by(Activity.person_id).subquery())
    latest = (select(Lead.person_id, func.max(Lead.id).label("lead_id"))
              .where(Lead.account_id == account_id, visible_leads(session, viewer)).group_by(Lead.person_id).subquery())
    query = (select(Person, touches.c.touches, touches.c.last_touch, Lead)
             .outerjoin(touches, touches.c.person_id == Person.id)
             .outerjoin(latest, latest.c.person_id == Person.id)
             .outerjoin(Lead, Lead.id == latest.c.lead_id)
             .where(Person.account_id == account_id, visible_people(session, viewer))
             .order_by(Person.committee_role.is_(None), Person.committee_role, Person.last_name))
    rows = [{"person": person, "name": " ".join(filter(None, [person.first_name, person.last_name])),
             "touches": count or 0, "last_touch": last, "lead": lead}
            for person, count, last, lead in session.execute(query)]
    total = session.scalar(select(func.count()).select_from(Person).where(Person.account_id == account_id))
    return {"rows": rows, "hidden": total - len(rows)}


def account_leads(session: Session, account_id: int, *, viewer: User) -> dict[str, Any]:
    """The account's leads the viewer may see, newest first, with person and owner, and how many others it has."""
    query = (select(Lead, Person.first_name, Person.last_name, User.name.label("owner"))
             .join(Person, Person.id == Lead.person_id).outerjoin(User, User.id == Lead.owner_id)
             .where(Lead.account_id == account_id, visible_leads(session, viewer)).order_by(Lead.id.desc()))
    rows = [{"lead": lead, "name": " ".join(filter(None, [first, last])), "owner": owner}
            for lead, first, last, owner in session.execute(query)]
    total = session.scalar(select(func.count()).select_from(Lead).where(Lead.account_id == account_id))
    return {"rows": rows, "hidden": total - len(rows)}


def filtered_leads(session: Session, *, viewer: User, month: str | None = None, source: str | None = None,
                   state: str | None = None, mql: bool = False, created_from=None, created_to=None,
                   where: Sequence[ColumnElement[bool]] = (), limit: int = 200, offset: int = 0) -> dict[str, Any]:
    """One page of the leads behind a dashboard number that the viewer may see, newest first, and how
    many the filter selects in all; `where` adds another domain's conditions on `Lead` (a cultivation
    track, a funnel milestone)."""
    conditions = [visible_leads(session, viewer), *where]
    if month:
        created = Month.parse(month)
        created_from, created_to = midnight(created.start), midnight(created.end)
    if created_from:
        conditions.append(Lead.created_at >= created_from)
    if created_to:
        conditions.append(Lead.created_at < created_to)
    if source:
        conditions.append(Lead.source == source if source != "unknown" else Lead.source.is_(None))
    if state:
        conditions.append(Lead.state == state)
    if mql:
        conditions.append(Lead.is_mql.is_(True))
    query = (select(Lead, Person.first_name, Person.last_name, Account.name.label("account"), User.name.label("owner"))
             .join(Person, Person.id == Lead.person_id).outerjoin(Account, Account.id == Lead.account_id)
             .outerjoin(User, User.id == Lead.owner_id).where(*conditions)
             .order_by(Lead.id.desc()).limit(limit).offset(offset))
    rows = [{"lead": lead, "name": " ".join(filter(None, [first, last])), "account": account, "owner": owner}
            for lead, first, last, account, owner in session.execute(query)]
    total = session.scalar(select(func.count()).select_from(Lead).where(*conditions))
    return {"rows": rows, "total": total}
