"""Touches from other systems over HTTP: one, or a batch, of known people's opens, clicks, visits..."""

from fastapi import APIRouter
from fastapi.exceptions import RequestValidationError

from revteam.api.deps import CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.clock import Now
from revteam.leads.intake.touches import TouchResult, capture_touches
from revteam.leads.schemas import ActivitiesOut, OneOrMoreActivities

router = APIRouter(prefix="/api/activities", tags=["activities"], responses=SIGNED_IN)


def _out(result: TouchResult, batch: str) -> ActivitiesOut:
    return ActivitiesOut(batch=batch, **result.as_stored(), lead_ids=result.lead_ids)


@router.post("", response_model=ActivitiesOut, status_code=201)
def post_activities(body: OneOrMoreActivities, session: SessionDep, user: CurrentUser,
                    now: Now) -> ActivitiesOut:
    """One touch (an object) or up to 1,000 (a list); each lands on the person's open lead, or the
    person, and re-scores the lead. A touch sent again lands once (`duplicates`). A refused object
    is a 422 naming its field; a batch lists its refused items by position (`line`, from 1)."""
    items = body if isinstance(body, list) else [body]
    result = capture_touches(session, [item.fields() for item in items], actor=user.email, now=now)
    if not isinstance(body, list) and result.refused:
        refusal = result.refused[0]
        raise RequestValidationError([{"loc": ("body", "one", refusal["field"]), "msg": refusal["reason"],
                                       "type": "value_error", "input": refusal["value"]}])
    return _out(result, "api")
