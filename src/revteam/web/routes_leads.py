"""The lead page: its whole timeline, score breakdown, routing reasons and the account's people.

What a page lists is what the user may see (`leads/access.py`); a lead or account outside it is
not found, exactly as one that does not exist."""

from typing import Literal

from fastapi import APIRouter, Request
from starlette.responses import Response

from revteam.cultivation.board import in_sla_breach
from revteam.cultivation.queries import in_track
from revteam.inputs import Id, Line, Offset
from revteam.leads import queries as lead_queries
from revteam.leads import committee
from revteam.leads.access import require_visible_account, visible_people
from revteam.leads.states import LeadState
from revteam.metrics.milestones import reached_in_cohort
from revteam.metrics.scorecard import lead_filters
from revteam.periods import Month, Period, midnight
from revteam.clock import now as app_now
from revteam.web.auth import PageSession, PageUser
from revteam.web.lead_page import lead_context
from revteam.web.templating import render

router = APIRouter()


PAGE_SIZE = 200
FunnelStep = Literal["mql", "accepted", "opportunity", "won"]
FairGame = Literal["rejected", "won"]


@router.get("/leads")
def lead_list(request: Request, session: PageSession, user: PageUser, month: Line | None = None,
              source: Line | None = None, state: LeadState | None = None, mql: bool = False,
              track: Line | None = None, finished: bool = False, cohort: Line | None = None,
              reached: FunnelStep | None = None, breached: bool = False, fair_game: FairGame | None = None,
              healthy: bool = False, offset: Offset = 0) -> Response:
    """The records behind a dashboard number: the whole count, and one page of them."""
    params = request.query_params
    period = Period.parse(params.get("from"), params.get("to"))
    where = [in_track(track, finished=finished)] if track else []
    if breached:
        where.append(in_sla_breach(app_now(request)))
    if cohort or reached:
        where.append(reached_in_cohort(reached, str(Month.parse(cohort, where="cohort")) if cohort else None))
    where += lead_filters(fair_game=fair_game, healthy=healthy)
    found = lead_queries.filtered_leads(
        session, viewer=user, month=month, source=source, state=state, mql=mql, where=where,
        created_from=period.start and midnight(period.start), created_to=period.end and midnight(period.end),
        limit=PAGE_SIZE, offset=offset)
    filters = {k: v for k, v in params.items() if v and k != "offset"}
    following = offset + PAGE_SIZE
    next_page = str(request.url.include_query_params(offset=following)) if following < found["total"] else None
    context = {"title": "Leads", "rows": found["rows"], "total": found["total"], "offset": offset,
               "filters": filters, "next_page": next_page}
    return render(request, "leads.html", context)


@router.get("/leads/{lead_id}")
def lead_page(request: Request, session: PageSession, user: PageUser, lead_id: Id) -> Response:
    return render(request, "lead.html", lead_context(request, session, user, lead_id))


@router.get("/accounts/{account_id}")
def account_page(request: Request, session: PageSession, user: PageUser, account_id: Id) -> Response:
    account = require_visible_account(session, user, account_id)
    context = {"title": account.name, "account": account,
               "people": lead_queries.account_people(session, account_id, viewer=user),
               "leads": lead_queries.account_leads(session, account_id, viewer=user),
               "committee": committee.account_view(session, account, people_filter=visible_people(session, user),
                                                   now=app_now(request))}
    return render(request, "account.html", context)
