"""Which people a list selects, newest first, a keyset page at a time: the /people page and the
search page's people share it.

A person is listed to whoever may see them (`leads/access.py`: everyone for a role that sees every
lead, otherwise the people of the leads the viewer sees); each row links the newest of the person's
leads the viewer may see."""

from typing import Any

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.accounts.search import matching_people
from revteam.db.counts import count_rows
from revteam.errors import BadInput, quoted
from revteam.inputs import INT64_MAX
from revteam.leads.access import visible_leads, visible_people
from revteam.leads.models import Lead
from revteam.users.models import User


def _conditions(session: Session, viewer: User | None, q: str | None) -> list[ColumnElement[bool]]:
    searched = bool(q and q.strip())
    where = [visible_people(session, viewer, few=searched) if viewer is not None else true()]
    return where + ([matching_people(q)] if searched else [])


def _after(after: str | None) -> list[ColumnElement[bool]]:
    if after is None:
        return []
    if not after.isdigit() or int(after) > INT64_MAX:
        raise BadInput(f"{quoted(after)} is not a page of this list (follow the list's next link)", where="after")
    return [Person.id < int(after)]


def _rows(session: Session, viewer: User | None, where: list, limit: int) -> list[dict[str, Any]]:
    seen = visible_leads(session, viewer, few=True) if viewer is not None else true()  # asked per listed person
    newest_lead = (select(func.max(Lead.id)).where(Lead.person_id == Person.id, seen)
                   .correlate(Person).scalar_subquery())
    query = (select(Person, Account.name, newest_lead.label("lead_id"))
             .outerjoin(Account, Account.id == Person.account_id)
             .where(*where).order_by(Person.id.desc()).limit(limit))
    return [{"id": person.id, "name": " ".join(filter(None, [person.first_name, person.last_name])),
             "email": person.email, "phone": person.phone_e164, "title": person.title,
             "account_id": person.account_id, "account": account, "lead_id": lead_id}
            for person, account, lead_id in session.execute(query)]


def filtered_people(session: Session, *, viewer: User | None, q: str | None = None, after: str | None = None,
                    limit: int = 200, count_up_to: int | None = None) -> dict[str, Any]:
    """One page of the people the search selects that the viewer may see, how many in all (or up to
    `count_up_to` + 1: `db/counts.py`), and the next cursor."""
    where = _conditions(session, viewer, q)
    rows = _rows(session, viewer, where + _after(after), limit + 1)
    total = count_rows(session, Person, where, count_up_to)
    following = str(rows[limit - 1]["id"]) if len(rows) > limit else None
    return {"rows": rows[:limit], "total": total, "next": following}
