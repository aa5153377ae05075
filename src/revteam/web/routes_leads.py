"""The lead page: its whole timeline, score breakdown, routing reasons and the account's people.

What a page lists is what the user may see (`leads/access.py`); a lead or account outside it is
not found, exactly as one that does not exist."""

from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from revteam.cultivation.board import in_sla_breach
from revteam.cultivation.queries import in_track
from revteam.inputs import Id, Line
from revteam.leads import queries as lead_queries
from revteam.exports.csv_table import csv_lines
from revteam.leads import committee
from revteam.leads.access import require_visible_account, visible_people
from revteam.leads.account_list import (
    ACCOUNT_COLUMNS, ACCOUNT_SORTS, AccountFilter, every_filtered_account, filtered_accounts,
)
from revteam.leads.exports import lead_csv
from revteam.leads.lead_list import SORTS, LeadFilter, Score
from revteam.leads.states import LeadState
from revteam.metrics.blame import Blame
from revteam.metrics.milestones import reached_in_cohort
from revteam.metrics.scorecard import lead_filters
from revteam.periods import Month, Period, midnight
from revteam.clock import now as app_now
from revteam.web.auth import PageSession, PageUser
from revteam.web.lead_page import lead_context
from revteam.web.templating import csv_response, render

router = APIRouter()


PAGE_SIZE = 200
FunnelStep = Literal["mql", "accepted", "opportunity", "won"]
FairGame = Literal["rejected", "won"]


@dataclass(frozen=True, slots=True)
class LeadSelection:
    """What a lead list (and its export) selects: the person's filter and other domains' conditions."""

    lead_filter: LeadFilter
    where: list
    sort: str


def lead_selection(request: Request, q: Line | None = None, state: LeadState | None = None,
                   owner: Line | None = None, team: Line | None = None, source: Line | None = None,
                   campaign: Line | None = None, month: Line | None = None, score_min: Score | None = None,
                   score_max: Score | None = None, mql: bool = False, track: Line | None = None,
                   finished: bool = False, cohort: Line | None = None, reached: FunnelStep | None = None,
                   breached: bool = False, fair_game: FairGame | None = None, blame: Blame | None = None,
                   healthy: bool = False, pod: Line | None = None, rep: Line | None = None,
                   sort: Line = "newest") -> LeadSelection:
    params = request.query_params
    period = Period.parse(params.get("from"), params.get("to"))
    where = [in_track(track, finished=finished)] if track else []
    if breached:
        where.append(in_sla_breach(app_now(request)))
    if cohort or reached:
        where.append(reached_in_cohort(reached, str(Month.parse(cohort, where="cohort")) if cohort else None))
    where += lead_filters(fair_game=fair_game, blame=blame, healthy=healthy, pod=pod, rep=rep)  # a scorecard group's leads
    lead_filter = LeadFilter(q=q, state=state, owner=owner, team=team, source=source, campaign=campaign, month=month,
                             created_from=period.start and midnight(period.start),
                             created_to=period.end and midnight(period.end),
                             score_min=score_min, score_max=score_max, mql=mql)
    return LeadSelection(lead_filter, where, sort)


Selection = Annotated[LeadSelection, Depends(lead_selection)]


@router.get("/leads")
def lead_list(request: Request, session: PageSession, user: PageUser, selection: Selection,
              after: Line | None = None) -> Response:
    """The leads a filter or a dashboard number selects: the whole count, and one keyset page of them."""
    found = lead_queries.filtered_leads(session, viewer=user, lead_filter=selection.lead_filter,
                                        where=selection.where, sort=selection.sort, after=after, limit=PAGE_SIZE)
    filters = {k: v for k, v in request.query_params.items() if v and k != "after"}
    next_page = str(request.url.include_query_params(after=found["next"])) if found["next"] else None
    export = "/leads/export.csv" + (f"?{urlencode(filters)}" if filters else "")
    context = {"title": "Leads", "rows": found["rows"], "total": found["total"], "filters": filters,
               "next_page": next_page, "export": export, "first_page": after is None, "q": filters.get("q", ""),
               "sort": selection.sort, "sorts": SORTS}
    return render(request, "leads.html", context)


@router.get("/leads/export.csv")
def lead_export(session: PageSession, user: PageUser, selection: Selection) -> Response:
    """The whole list the same filter selects, as CSV (our columns)."""
    rows = lead_queries.every_filtered_lead(session, viewer=user, lead_filter=selection.lead_filter,
                                            where=selection.where, sort=selection.sort)
    return csv_response("".join(lead_csv(rows)), "leads.csv")


@router.get("/leads/{lead_id}")
def lead_page(request: Request, session: PageSession, user: PageUser, lead_id: Id) -> Response:
    return render(request, "lead.html", lead_context(request, session, user, lead_id))


def account_selection(q: Line | None = None, industry: Line | None = None, country: Line | None = None,
                      tier: Line | None = None, owner: Line | None = None) -> AccountFilter:
    return AccountFilter(q=q, industry=industry, country=country, tier=tier, owner=owner)


AccountSelection = Annotated[AccountFilter, Depends(account_selection)]


@router.get("/accounts")
def account_list(request: Request, session: PageSession, user: PageUser, account_filter: AccountSelection,
                 sort: Line = "newest", after: Line | None = None) -> Response:
    """The accounts the viewer may see, searched and filtered, one keyset page at a time."""
    found = filtered_accounts(session, viewer=user, account_filter=account_filter, sort=sort, after=after,
                              limit=PAGE_SIZE)
    filters = {k: v for k, v in request.query_params.items() if v and k != "after"}
    next_page = str(request.url.include_query_params(after=found["next"])) if found["next"] else None
    export = "/accounts/export.csv" + (f"?{urlencode(filters)}" if filters else "")
    context = {"title": "Accounts", "rows": found["rows"], "total": found["total"], "filters": filters,
               "next_page": next_page, "export": export, "q": filters.get("q", ""), "sort": sort,
               "sorts": ACCOUNT_SORTS}
    return render(request, "accounts.html", context)


@router.get("/accounts/export.csv")
def account_export(session: PageSession, user: PageUser, account_filter: AccountSelection) -> Response:
    """The whole account list the same filter selects, as CSV."""
    rows = every_filtered_account(session, viewer=user, account_filter=account_filter)
    return csv_response("".join(csv_lines(rows, ACCOUNT_COLUMNS)), "accounts.csv")


@router.get("/accounts/{account_id}")
def account_page(request: Request, session: PageSession, user: PageUser, account_id: Id) -> Response:
    account = require_visible_account(session, user, account_id)
    context = {"title": account.name, "account": account,
               "people": lead_queries.account_people(session, account_id, viewer=user),
               "leads": lead_queries.account_leads(session, account_id, viewer=user),
               "committee": committee.account_view(session, account, people_filter=visible_people(session, user),
                                                   now=app_now(request))}
    return render(request, "account.html", context)
