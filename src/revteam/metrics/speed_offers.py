"""The offers behind an offer figure of the dashboard or the scorecards: the offers of the period one
speed-to-lead count (SLA judged or met) or one acceptance count (decided or accepted) counts
(`gtm_queries.measured_offers`, the condition its counts sum), made to one team, pod or rep or to
every rep, on the leads the viewer may see (`leads/access.py`), newest first in keyset pages."""

from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Person
from revteam.leads.access import visible_leads
from revteam.leads.models import Lead
from revteam.metrics.gtm_queries import group_reps, measured_offers, team_reps
from revteam.periods import Period
from revteam.routing.models import Offer
from revteam.users.models import User

PAGE_SIZE = 200


def figure_offers(period: Period, measure: str, now: datetime, *, team: str | None = None, pod: str | None = None,
                  rep: str | None = None) -> list[ColumnElement[bool]]:
    """Conditions on `Offer`: the offers one figure counts, of a team (as the speed report names teams),
    a pod or a rep (by e-mail), or of every rep when none is named."""
    reps = team_reps(team) if team else group_reps("pod", pod) if pod else group_reps("rep", rep) if rep else None
    return measured_offers(period, measure, now, reps)


def _seen(session: Session, viewer: User, conditions: list[ColumnElement[bool]]):
    return select(Offer.id).join(Lead, Lead.id == Offer.lead_id).where(*conditions, visible_leads(session, viewer))


def offer_count(session: Session, *, viewer: User, conditions: list[ColumnElement[bool]]) -> int:
    """How many of the offers the conditions select the viewer may see: what a link to them shows."""
    return session.scalar(select(func.count()).select_from(_seen(session, viewer, conditions).subquery()))


def offer_page(session: Session, *, viewer: User, conditions: list[ColumnElement[bool]], after: int | None = None,
               limit: int = PAGE_SIZE) -> dict:
    """One page of the offers the conditions select that the viewer may see, the whole count and the id
    to read on from."""
    query = (select(Offer, Person.first_name, Person.last_name, User.email)
             .join(Lead, Lead.id == Offer.lead_id).join(Person, Person.id == Lead.person_id)
             .join(User, User.id == Offer.rep_id).where(*conditions, visible_leads(session, viewer)))
    if after is not None:
        query = query.where(Offer.id < after)
    found = session.execute(query.order_by(Offer.id.desc()).limit(limit + 1)).all()
    rows = [{"offer": offer, "name": " ".join(filter(None, [first, last])), "rep": rep}
            for offer, first, last, rep in found[:limit]]
    return {"rows": rows, "total": offer_count(session, viewer=viewer, conditions=conditions),
            "next": rows[-1]["offer"].id if len(found) > limit else None}
