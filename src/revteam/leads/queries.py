"""What the lead and account pages read beyond the lead's story: offers, people, engagement.

Every list is narrowed by the one visibility policy (`leads/access.py`) for the user reading it."""

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.db.counts import count_rows
from revteam.leads.access import visible_leads, visible_people
from revteam.leads.lead_list import LeadFilter, after_cursor, cursor_of, lead_conditions, order_of
from revteam.leads.models import Activity, Campaign, Lead
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


def _seen_by(session: Session, viewer: User | None, lead_filter: LeadFilter, paged: bool) -> ColumnElement[bool]:
    """What the viewer may see; None is the database's operator (the CLI without --as), who sees every lead.
    The leads are checked one by one where few are read: by a page, which stops at its last row (reading
    every lead a manager's team was offered cost a page of 100 leads 136 ms on `medium`, checking the
    leads it passes 0.5 ms), or by a search, which reaches only the leads of the people its words found."""
    if viewer is None:
        return true()
    return visible_leads(session, viewer, few=paged or bool(lead_filter.q and lead_filter.q.strip()))


def _lead_rows(session: Session, where: Sequence[ColumnElement[bool]], order: tuple, limit: int):
    """The page's leads with their person, account, campaign and owner. The page is chosen on the leads
    alone (their ids, in order), and only its rows are joined: a search of a common name sorts the ids
    of thousands of leads, not thousands of joined rows."""
    page = select(Lead.id).where(*where).order_by(*order).limit(limit).subquery()
    query = (select(Lead, Person, Account, Campaign.name.label("campaign"), User.name.label("owner"),
                    User.email.label("owner_email"))
             .join(page, page.c.id == Lead.id)
             .join(Person, Person.id == Lead.person_id).outerjoin(Account, Account.id == Lead.account_id)
             .outerjoin(Campaign, Campaign.id == Lead.campaign_id).outerjoin(User, User.id == Lead.owner_id)
             .order_by(*order))
    return [{"lead": lead, "person": person, "account_record": account, "campaign": campaign,
             "name": " ".join(filter(None, [person.first_name, person.last_name])),
             "account": account.name if account else None, "owner": owner, "owner_email": owner_email}
            for lead, person, account, campaign, owner, owner_email in session.execute(query)]


def _page(session: Session, conditions: list, sort: str, after: str | None, limit: int):
    page = [after_cursor(sort, after)] if after else []
    rows = _lead_rows(session, [*conditions, *page], order_of(sort), limit + 1) if limit else []
    return rows[:limit], cursor_of(sort, rows[limit - 1]["lead"]) if len(rows) > limit else None


def filtered_leads(session: Session, *, viewer: User, lead_filter: LeadFilter = LeadFilter(),
                   where: Sequence[ColumnElement[bool]] = (), sort: str = "newest", after: str | None = None,
                   limit: int = 200, count_up_to: int | None = None) -> dict[str, Any]:
    """One page of the leads the filter selects that the viewer may see, how many it selects in all (or
    up to `count_up_to` + 1: `db/counts.py`), and the cursor of the next page (None on the last); `where`
    adds another domain's conditions on `Lead` (a cultivation track, a funnel milestone)."""
    narrowed = [*lead_conditions(session, lead_filter), *where]
    rows, following = _page(session, [_seen_by(session, viewer, lead_filter, True), *narrowed], sort, after, limit)
    counted = [_seen_by(session, viewer, lead_filter, False), *narrowed]
    return {"rows": rows, "total": count_rows(session, Lead, counted, count_up_to), "next": following}


def every_filtered_lead(session: Session, *, viewer: User | None, lead_filter: LeadFilter = LeadFilter(),
                        where: Sequence[ColumnElement[bool]] = (), sort: str = "newest",
                        batch: int = 1_000) -> Iterator[dict[str, Any]]:
    """Every lead the filter selects that the viewer may see, read a keyset page at a time (for exports)."""
    # A bad filter is refused before any row.
    conditions = [_seen_by(session, viewer, lead_filter, True), *lead_conditions(session, lead_filter), *where]
    order_of(sort)

    def pages() -> Iterator[dict[str, Any]]:
        after = None
        while True:
            rows, after = _page(session, conditions, sort, after, batch)
            yield from rows
            if after is None:
                return
    return pages()
