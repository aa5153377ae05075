"""The lead page: its whole timeline, score breakdown, routing reasons and the account's people.

What a page lists is what the user may see (`leads/access.py`); a lead or account outside it is
not found, exactly as one that does not exist."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from revteam.cultivation.queries import in_track, track_enrollment
from revteam.db.base import utcnow
from revteam.inputs import Id, Line
from revteam.leads import queries as lead_queries
from revteam.leads.access import require_visible, require_visible_account
from revteam.leads.service import lead_story
from revteam.leads.states import LeadState
from revteam.periods import Period, midnight
from revteam.web.auth import PageSession, PageUser
from revteam.web.templating import render

router = APIRouter()


@router.get("/leads")
def lead_list(request: Request, session: PageSession, user: PageUser, month: Line | None = None,
              source: Line | None = None, state: LeadState | None = None, mql: bool = False,
              track: Line | None = None, finished: bool = False) -> Response:
    """The records behind a dashboard number."""
    params = request.query_params
    period = Period.parse(params.get("from"), params.get("to"))
    rows = lead_queries.filtered_leads(
        session, viewer=user, month=month, source=source, state=state, mql=mql,
        where=[in_track(track, finished=finished)] if track else [],
        created_from=period.start and midnight(period.start), created_to=period.end and midnight(period.end))
    filters = {k: v for k, v in params.items() if v}
    return render(request, "leads.html", {"title": "Leads", "rows": rows, "filters": filters})


@router.get("/leads/{lead_id}")
def lead_page(request: Request, session: PageSession, user: PageUser, lead_id: Id) -> Response:
    story = lead_story(session, require_visible(session, user, lead_id).id)
    account = story["account"]
    context = {
        "title": f"Lead {lead_id}", "lead": story, "offers": lead_queries.offers(session, lead_id),
        "track": track_enrollment(session, lead_id, now=utcnow()),
        "people": lead_queries.account_people(session, account["id"], viewer=user) if account else None,
    }
    return render(request, "lead.html", context)


@router.get("/accounts/{account_id}")
def account_page(request: Request, session: PageSession, user: PageUser, account_id: Id) -> Response:
    account = require_visible_account(session, user, account_id)
    context = {"title": account.name, "account": account,
               "people": lead_queries.account_people(session, account_id, viewer=user),
               "leads": lead_queries.account_leads(session, account_id, viewer=user)}
    return render(request, "account.html", context)
