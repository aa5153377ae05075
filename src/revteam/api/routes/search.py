"""Search over HTTP: the leads, people and accounts a few words find, as the user may see them."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from revteam.api.deps import CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.inputs import Line
from revteam.leads.search_all import search_everything

router = APIRouter(prefix="/api/search", tags=["search"], responses=SIGNED_IN)


@router.get("")
def search(session: SessionDep, user: CurrentUser,
           q: Annotated[Line, Query(min_length=1, max_length=200, description="Name, e-mail, phone or company.")],
           ) -> dict[str, Any]:
    """Per group (leads, people, accounts): how many match (`total`, exact up to 1,000; past it `total` is
    null and `more_than` is 1,000), the first rows and the path of the whole list, which counts all.
    Every word must appear in the name, e-mail, phone or company; a phone typed with punctuation is one word."""
    return search_everything(session, viewer=user, q=q)
