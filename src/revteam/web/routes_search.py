"""The search page (the layout's search box opens it): leads, people and accounts that match, each
group with its count and a link to its whole list; and the people list that link opens.

What a page lists is what the user may see (`leads/access.py`)."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from revteam.inputs import Line
from revteam.leads.people_list import filtered_people
from revteam.leads.search_all import search_everything
from revteam.web.auth import PageSession, PageUser
from revteam.web.templating import render

router = APIRouter()
PAGE_SIZE = 200


@router.get("/search")
def search_page(request: Request, session: PageSession, user: PageUser, q: Line = "") -> Response:
    """Every kind of record the words find; an empty search asks for words."""
    found = search_everything(session, viewer=user, q=q) if q.strip() else None
    return render(request, "search.html", {"title": f"Search: {q}" if q else "Search", "q": q, "found": found})


@router.get("/people")
def people_list(request: Request, session: PageSession, user: PageUser, q: Line | None = None,
                after: Line | None = None) -> Response:
    """The people the viewer may see, searched, one keyset page at a time."""
    found = filtered_people(session, viewer=user, q=q, after=after, limit=PAGE_SIZE)
    filters = {k: v for k, v in request.query_params.items() if v and k != "after"}
    next_page = str(request.url.include_query_params(after=found["next"])) if found["next"] else None
    context = {"title": "People", "rows": found["rows"], "total": found["total"], "filters": filters,
               "next_page": next_page, "q": filters.get("q", "")}
    return render(request, "people.html", context)
