"""Who may open which record on the pages: a rep their own leads, a manager their team's.

Admins, marketing and success read every lead (marketing cultivates them, success inherits
them as customers); acting on a lead is checked again by the lead-flow services.
"""

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from revteam.errors import Forbidden
from revteam.leads.models import Lead
from revteam.routing.models import Offer
from revteam.users.models import Role, User

READ_ALL = frozenset({Role.admin, Role.marketing, Role.success})


def rep_ids(session: Session, user: User) -> list[int]:
    """The reps whose leads this user may see: themselves, or a manager's whole team."""
    if user.role == Role.manager and user.team_id is not None:
        return list(session.scalars(select(User.id).where(User.team_id == user.team_id)))
    return [user.id]


def require_lead_reader(session: Session, user: User, lead_id: int) -> None:
    """Forbidden unless the lead was owned by or offered to this user (or their team, for a manager)."""
    if user.role in READ_ALL:
        return
    reps = rep_ids(session, user)
    offered = exists().where(Offer.lead_id == Lead.id, Offer.rep_id.in_(reps))
    visible = session.scalar(select(Lead.id).where(Lead.id == lead_id, or_(Lead.owner_id.in_(reps), offered)))
    if visible is None and session.get(Lead, lead_id) is not None:
        raise Forbidden(f"lead {lead_id} is not yours: it was never offered to you or your team")


def may_see_every_lead(user: User) -> bool:
    return user.role in READ_ALL
