"""Accounts over HTTP: target accounts' buying-committee coverage, and one account's committee."""

from typing import Any

from fastapi import APIRouter

from revteam.api.deps import CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.clock import Now
from revteam.inputs import Id, Line
from revteam.leads import committee
from revteam.leads.access import may_see_account, require_visible_account, visible_people

router = APIRouter(prefix="/api/accounts", tags=["accounts"], responses=SIGNED_IN)


@router.get("/coverage")
def coverage(session: SessionDep, user: CurrentUser, now: Now, segment: Line | None = None) -> list[dict[str, Any]]:
    """One row per target account the user may see: committee roles known, engaged, missing, and engagement."""
    rows = committee.coverage_report(session, segment=segment, now=now)
    return [row for row in rows if may_see_account(session, user, row["account_id"])]


@router.get("/{account_id}")
def show(account_id: Id, session: SessionDep, user: CurrentUser, now: Now) -> dict[str, Any]:
    """The account's committee coverage and the people the user may see, with roles and engagement."""
    account = require_visible_account(session, user, account_id)
    return committee.account_view(session, account, people_filter=visible_people(session, user), now=now)
