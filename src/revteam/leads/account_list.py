"""Which accounts a list selects, newest first, a keyset page at a time: the /accounts page, its CSV
export and `revteam export accounts` share it.

An account is listed to whoever may see it (`leads/access.py`: every lead, or one of its leads)."""

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from revteam.accounts.models import Account
from revteam.accounts.search import matching_accounts
from revteam.db.counts import count_rows
from revteam.errors import BadInput, quoted
from revteam.inputs import INT64_MAX, Line
from revteam.leads.access import visible_accounts, visible_leads, visible_people
from revteam.leads.models import Lead
from revteam.users.models import User

ACCOUNT_COLUMNS = ("id", "name", "domain", "industry", "employees", "country", "tier", "owner", "leads")
ACCOUNT_SORTS = ("newest", "oldest")


@dataclass(frozen=True, slots=True)
class AccountFilter:
    q: str | None = None
    industry: str | None = None
    country: str | None = None
    tier: str | None = None
    owner: str | None = None  # the account owner's e-mail



# The names `--filter` takes (revteam/list_filters.py), with the types their values must fit.
ACCOUNT_FILTERS = {f.name: Line for f in fields(AccountFilter)}


def _searched(account_filter: AccountFilter) -> bool:
    return bool(account_filter.q and account_filter.q.strip())


def _seen(session: Session, viewer: User | None, account_filter: AccountFilter, paged: bool) -> list[ColumnElement[bool]]:
    """The accounts the viewer may see. Their leads are checked one by one where few accounts are read: by
    a page, which stops at its last row, or by a search, which reaches the accounts its words found."""
    if viewer is None:
        return []
    return [visible_accounts(session, viewer, Account.id, few=_searched(account_filter), paged=paged)]


def _conditions(session: Session, viewer: User | None, account_filter: AccountFilter) -> list[ColumnElement[bool]]:
    """The filter's own conditions (the viewer's sight is `_seen`)."""
    f = account_filter
    people_seen = true() if viewer is None else visible_people(session, viewer, few=True)
    where = [matching_accounts(f.q, people_seen)] if _searched(f) else []
    where += [Account.industry == f.industry] if f.industry else []
    where += [Account.country == f.country.upper()] if f.country else []
    where += [Account.tier == f.tier] if f.tier else []
    if f.owner:
        owner_id = session.scalar(select(User.id).where(User.email == f.owner.strip().lower()))
        if owner_id is None:
            raise BadInput(f"no owner named {quoted(f.owner)}", where="owner")
        where.append(Account.owner_id == owner_id)
    return where


def _after(sort: str, after: str | None) -> list[ColumnElement[bool]]:
    if sort not in ACCOUNT_SORTS:
        raise BadInput(f"no sort {quoted(sort)}; sorts: {', '.join(ACCOUNT_SORTS)}", where="sort")
    if after is None:
        return []
    if not after.isdigit() or int(after) > INT64_MAX:
        raise BadInput(f"{quoted(after)} is not a page of this list (follow the list's next link)", where="after")
    return [Account.id < int(after) if sort == "newest" else Account.id > int(after)]


def _rows(session: Session, viewer: User | None, where: list, sort: str, limit: int) -> list[dict[str, Any]]:
    """The page's accounts with owner and lead count: the page is chosen on the accounts' ids alone and
    only its rows count their leads (a search of a common name matches thousands of accounts)."""
    leads = (select(func.count()).select_from(Lead).where(Lead.account_id == Account.id, _lead_seen(session, viewer))
             .correlate(Account).scalar_subquery())
    order = Account.id.desc() if sort == "newest" else Account.id.asc()
    page = select(Account.id).where(*where).order_by(order).limit(limit).subquery()
    query = (select(Account, User.email, leads.label("leads")).join(page, page.c.id == Account.id)
             .outerjoin(User, User.id == Account.owner_id).order_by(order))
    return [{"account": account, "owner": owner, "leads": count, **{c: getattr(account, c) for c in ACCOUNT_COLUMNS
                                                                      if hasattr(Account, c)}}
            for account, owner, count in session.execute(query)]


def _lead_seen(session: Session, viewer: User | None) -> ColumnElement[bool]:
    return true() if viewer is None else visible_leads(session, viewer, few=True)  # asked per listed account


def filtered_accounts(session: Session, *, viewer: User | None, account_filter: AccountFilter = AccountFilter(),
                      sort: str = "newest", after: str | None = None, limit: int = 200,
                      count_up_to: int | None = None) -> dict[str, Any]:
    """One page of the accounts the filter selects that the viewer may see, how many in all (or up to
    `count_up_to` + 1: `db/counts.py`), and the next cursor."""
    where = _conditions(session, viewer, account_filter)
    rows = _rows(session, viewer, _seen(session, viewer, account_filter, True) + where + _after(sort, after), sort,
                 limit + 1)
    counted = _seen(session, viewer, account_filter, False) + where
    total = count_rows(session, Account, counted, count_up_to)
    following = str(rows[limit - 1]["id"]) if len(rows) > limit else None
    return {"rows": rows[:limit], "total": total, "next": following}


def every_filtered_account(session: Session, *, viewer: User | None, account_filter: AccountFilter = AccountFilter(),
                           batch: int = 1_000) -> Iterator[dict[str, Any]]:
    """Every account the filter selects that the viewer may see, a keyset page at a time (for exports)."""
    # A bad filter is refused before any row.
    where = _seen(session, viewer, account_filter, True) + _conditions(session, viewer, account_filter)

    def pages() -> Iterator[dict[str, Any]]:
        after = None
        while True:
            rows = _rows(session, viewer, where + _after("newest", after), "newest", batch + 1)
            yield from rows[:batch]
            if len(rows) <= batch:
                return
            after = str(rows[batch - 1]["id"])
    return pages()
