"""Search across leads, people and accounts at once: the search page and `GET /api/search`.

Each group is its own list's first rows and total (`lead_list`/`queries`, `people_list`,
`account_list`), with a link to that whole list, so a group's count is what its list shows, and each
is narrowed by the one visibility policy (`leads/access.py`) for the viewer: leads they may see,
the people of those leads, the accounts of those leads (everything for a role that sees every lead).

A group's count is exact up to COUNT_CAP and said as "more than COUNT_CAP" beyond it (`total` None,
`more_than` the cap): counting stops there (`db/counts.py`), so a common last name or two letters
cost what a thousand matches cost, and the list the group links to still counts all of its rows.
"""

from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from revteam.accounts.search import search_terms
from revteam.errors import BadInput, quoted
from revteam.leads.account_list import AccountFilter, filtered_accounts
from revteam.leads.lead_list import LeadFilter
from revteam.leads.people_list import filtered_people
from revteam.leads.queries import filtered_leads
from revteam.users.models import User

GROUP_ROWS = 10
COUNT_CAP = 1_000


def _group(found: dict[str, Any], rows: list[dict[str, Any]], path: str, q: str) -> dict[str, Any]:
    capped = found["total"] > COUNT_CAP
    return {"total": None if capped else found["total"], "more_than": COUNT_CAP if capped else None,
            "rows": rows, "list": f"{path}?{urlencode({'q': q})}"}


def _lead(row: dict[str, Any]) -> dict[str, Any]:
    lead = row["lead"]
    return {"id": lead.id, "name": row["name"], "email": row["person"].email, "state": lead.state,
            "score": lead.score, "account_id": lead.account_id, "account": row["account"], "owner": row["owner"]}


def _account(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in ("id", "name", "domain", "industry", "country", "leads")}


def search_everything(session: Session, *, viewer: User | None, q: str) -> dict[str, Any]:
    """The leads, people and accounts whose name, e-mail, phone or company holds every word of `q`, as
    the viewer may see them: per group the total (None past COUNT_CAP, then `more_than` says so), the
    first GROUP_ROWS rows and the whole list's link."""
    if not search_terms(q):
        raise BadInput(f"{quoted(q)} holds no word to search for: type a name, e-mail, phone or company", where="q")
    first = {"limit": GROUP_ROWS, "count_up_to": COUNT_CAP}
    leads = filtered_leads(session, viewer=viewer, lead_filter=LeadFilter(q=q), **first)
    people = filtered_people(session, viewer=viewer, q=q, **first)
    accounts = filtered_accounts(session, viewer=viewer, account_filter=AccountFilter(q=q), **first)
    return {"q": q,
            "leads": _group(leads, [_lead(row) for row in leads["rows"]], "/leads", q),
            "people": _group(people, people["rows"], "/people", q),
            "accounts": _group(accounts, [_account(row) for row in accounts["rows"]], "/accounts", q)}
