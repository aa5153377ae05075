"""Who may act on a lead: a rep on leads offered to them, a manager on their team's leads.

Admins may do anything; admins, marketing and managers route and evaluate leads.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.errors import Forbidden
from revteam.users.models import Role, User

ROUTERS = frozenset({Role.admin, Role.marketing, Role.manager})


def managers_of(session: Session, rep_id: int) -> list[User]:
    """The active managers of the rep's team."""
    rep = session.get(User, rep_id)
    if rep is None or rep.team_id is None:
        return []
    query = select(User).where(User.team_id == rep.team_id, User.role == Role.manager.value, User.active.is_(True))
    return list(session.scalars(query.order_by(User.id)))


def _manages(session: Session, actor: User, rep_id: int | None) -> bool:
    if actor.role != Role.manager or actor.team_id is None or rep_id is None:
        return False
    rep = session.get(User, rep_id)
    return rep is not None and rep.team_id == actor.team_id


def require_active(actor: User) -> None:
    """Deactivated users act on nothing."""
    if not actor.active:
        raise Forbidden(f"{actor.email} is deactivated")


def require_router(actor: User, *, lead_id: int, action: str) -> None:
    """Routing and evaluating are for admins, marketing and managers."""
    require_active(actor)
    if actor.role not in ROUTERS:
        raise Forbidden(
            f"{actor.email} is {actor.role}; only admin, marketing or a manager may {action} lead {lead_id}")


def require_acts_for(session: Session, actor: User, *, rep_id: int | None, lead_id: int, action: str) -> None:
    """The rep the lead is offered to (or who works it), their team's manager, or an admin."""
    require_active(actor)
    if actor.role == Role.admin or actor.id == rep_id or _manages(session, actor, rep_id):
        return
    raise Forbidden(f"{actor.email} may not {action} lead {lead_id}: it is not theirs or their team's")


def require_evaluator(session: Session, actor: User, *, rep_id: int | None, lead_id: int) -> None:
    """Admins and marketing evaluate any rejected lead; a manager those their team rejected."""
    require_router(actor, lead_id=lead_id, action="evaluate")
    if actor.role == Role.manager and not _manages(session, actor, rep_id):
        raise Forbidden(f"{actor.email} may not evaluate lead {lead_id}: another team rejected it")


def require_viewer(session: Session, actor: User, *, owner_id: int | None, offered_to: set[int], lead_id: int) -> None:
    """Sales see the leads they own or were offered; every other role sees all leads."""
    require_active(actor)
    if actor.role != Role.sales or actor.id == owner_id or actor.id in offered_to:
        return
    raise Forbidden(f"{actor.email} may not see lead {lead_id}: it was never theirs")
