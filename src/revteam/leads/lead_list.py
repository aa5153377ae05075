"""Which leads a list selects, in which order, a page at a time: the one filter the lead list, its
CSV export and `revteam export leads` share.

Pages are cut by keyset (the last row's sort key), so the thousandth page costs what the first does
and every record is reached once, even while leads are added. A filter value that names nothing
(an owner, a team or a campaign that does not exist) is refused with its name, not answered with an
empty list."""

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Annotated

from pydantic import Field

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from revteam.accounts.search import matching_person_ids
from revteam.errors import BadInput, quoted
from revteam.inputs import INT32_MAX, INT64_MAX, Line
from revteam.leads.models import Campaign, Lead
from revteam.leads.states import LeadState
from revteam.periods import Month, midnight
from revteam.users.models import Team, User

SORTS = ("newest", "oldest", "score")
UNOWNED = "none"


@dataclass(frozen=True, slots=True)
class LeadFilter:
    """What a person may narrow a lead list by; None (or False) leaves that out."""

    q: str | None = None
    state: str | None = None
    owner: str | None = None  # a user's e-mail, or "none" for leads nobody owns
    team: str | None = None  # the owner's team, by name
    source: str | None = None  # "unknown" for leads without one
    campaign: str | None = None  # by name
    month: str | None = None  # created in this month (YYYY-MM)
    created_from: datetime | None = None
    created_to: datetime | None = None
    score_min: int | None = None
    score_max: int | None = None
    mql: bool = False

    def shown(self) -> dict[str, str]:
        """The filters in force, as a person would write them."""
        return {f.name: str(value) for f in fields(self) if (value := getattr(self, f.name)) not in (None, False, "")}


Score = Annotated[int, Field(ge=-INT32_MAX, le=INT32_MAX)]
# The names `--filter` takes (revteam/list_filters.py), with the types their values must fit.
LEAD_FILTERS = {"q": Line, "state": LeadState, "owner": Line, "team": Line, "source": Line, "campaign": Line,
                "month": Line, "score_min": Score, "score_max": Score, "mql": bool}


def _named(session: Session, model, column, value: str, where: str) -> int:
    found = session.scalar(select(model.id).where(column == value))
    if found is None:
        raise BadInput(f"no {where} named {quoted(value)}", where=where)
    return found


def _owner(session: Session, owner: str) -> ColumnElement[bool]:
    if owner == UNOWNED:
        return Lead.owner_id.is_(None)
    return Lead.owner_id == _named(session, User, User.email, owner.strip().lower(), "owner")


def _team(session: Session, team: str) -> ColumnElement[bool]:
    team_id = _named(session, Team, Team.name, team, "team")
    return Lead.owner_id.in_(select(User.id).where(User.team_id == team_id))


def _created(lead_filter: LeadFilter) -> list[ColumnElement[bool]]:
    start, end = lead_filter.created_from, lead_filter.created_to
    if lead_filter.month:
        created = Month.parse(lead_filter.month, where="month")
        start, end = midnight(created.start), midnight(created.end)
    return ([Lead.created_at >= start] if start else []) + ([Lead.created_at < end] if end else [])


def _state(state: str) -> ColumnElement[bool]:
    if state not in set(LeadState):
        raise BadInput(f"no lead state {quoted(state)}; states: {', '.join(LeadState)}", where="state")
    return Lead.state == state


def lead_conditions(session: Session, lead_filter: LeadFilter) -> list[ColumnElement[bool]]:
    """The filter as conditions on `Lead`; BadInput naming the filter whose value names nothing."""
    f = lead_filter
    where = _created(f)
    where += [_state(f.state)] if f.state else []
    where += [_owner(session, f.owner)] if f.owner else []
    where += [_team(session, f.team)] if f.team else []
    if f.source:
        where.append(Lead.source.is_(None) if f.source == "unknown" else Lead.source == f.source)
    if f.campaign:
        where.append(Lead.campaign_id == _named(session, Campaign, Campaign.name, f.campaign, "campaign"))
    where += [Lead.score >= f.score_min] if f.score_min is not None else []
    where += [Lead.score <= f.score_max] if f.score_max is not None else []
    where += [Lead.is_mql.is_(True)] if f.mql else []
    if f.q and f.q.strip():
        where.append(Lead.person_id.in_(matching_person_ids(f.q)))
    return where


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise BadInput(f"no sort {quoted(sort)}; sorts: {', '.join(SORTS)}", where="sort")


def order_of(sort: str) -> tuple:
    _check_sort(sort)
    return {"newest": (Lead.id.desc(),), "oldest": (Lead.id.asc(),),
            "score": (Lead.score.desc(), Lead.id.desc())}[sort]


def cursor_of(sort: str, lead: Lead) -> str:
    """Where the next page starts: after this lead, in this sort."""
    return f"{lead.score}_{lead.id}" if sort == "score" else str(lead.id)


def after_cursor(sort: str, cursor: str) -> ColumnElement[bool]:
    """The leads that come after `cursor` in this sort; BadInput for a cursor no page wrote."""
    _check_sort(sort)
    try:
        parts = [int(part) for part in cursor.split("_")]
    except ValueError:
        parts = []
    if any(abs(part) > INT64_MAX for part in parts):
        parts = []
    if sort == "score" and len(parts) == 2:
        score, lead_id = parts
        return or_(Lead.score < score, and_(Lead.score == score, Lead.id < lead_id))
    if sort != "score" and len(parts) == 1:
        return Lead.id < parts[0] if sort == "newest" else Lead.id > parts[0]
    raise BadInput(f"{quoted(cursor)} is not a page of this list (follow the list's next link)", where="after")
