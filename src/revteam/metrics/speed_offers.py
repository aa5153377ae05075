"""The offers behind a speed-to-lead figure of the dashboard: one team's offers of the period whose
SLA can be judged, or was met (`gtm_queries.speed_offers`, the condition its counts sum), on the
leads the viewer may see (`leads/access.py`), newest first in keyset pages."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Person
from revteam.leads.access import visible_leads
from revteam.leads.models import Lead
from revteam.metrics.gtm_queries import speed_offers
from revteam.periods import Period
from revteam.routing.models import Offer
from revteam.users.models import User

PAGE_SIZE = 200


def speed_offer_page(session: Session, *, viewer: User, period: Period, team: str, measure: str, now: datetime,
                     after: int | None = None, limit: int = PAGE_SIZE) -> dict:
    """One page of the offers a team's speed figure counts that the viewer may see, the whole count
    and the id to read on from."""
    conditions = [*speed_offers(period, team, measure, now), visible_leads(session, viewer)]
    base = select(Offer.id).join(Lead, Lead.id == Offer.lead_id).where(*conditions)
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    query = (select(Offer, Person.first_name, Person.last_name, User.email)
             .join(Lead, Lead.id == Offer.lead_id).join(Person, Person.id == Lead.person_id)
             .join(User, User.id == Offer.rep_id).where(*conditions))
    if after is not None:
        query = query.where(Offer.id < after)
    found = session.execute(query.order_by(Offer.id.desc()).limit(limit + 1)).all()
    rows = [{"offer": offer, "name": " ".join(filter(None, [first, last])), "rep": rep}
            for offer, first, last, rep in found[:limit]]
    return {"rows": rows, "total": total, "next": rows[-1]["offer"].id if len(found) > limit else None}
