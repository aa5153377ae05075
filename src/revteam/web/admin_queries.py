"""What the admin page reads and the one write users.service lacks (capacity)."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from revteam.errors import BadInput
from revteam.events.service import record
from revteam.users.models import ApiToken, Pod, Team, User
from revteam.users.service import get_user_by_email


def people(session: Session) -> list[dict[str, Any]]:
    """Every user with team, pod and live-token count, by role then name."""
    team, pod = aliased(Team), aliased(Pod)
    tokens = (select(func.count(ApiToken.id)).where(ApiToken.user_id == User.id, ApiToken.revoked_at.is_(None))
              .correlate(User).scalar_subquery())
    query = (select(User, team.name.label("team"), pod.name.label("pod"), tokens.label("tokens"))
             .outerjoin(team, team.id == User.team_id).outerjoin(pod, pod.id == User.pod_id)
             .order_by(User.role, User.name))
    return [{"user": row.User, "team": row.team, "pod": row.pod, "tokens": row.tokens} for row in session.execute(query)]


def units(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Teams and pods with how many active people each holds."""
    def count(model, column) -> list[dict[str, Any]]:
        query = (select(model.name, func.count(User.id).label("members"))
                 .outerjoin(User, (column == model.id) & User.active.is_(True))
                 .group_by(model.id, model.name).order_by(model.name))
        return [row._asdict() for row in session.execute(query)]
    return {"teams": count(Team, User.team_id), "pods": count(Pod, User.pod_id)}


def set_capacity(session: Session, email: str, *, capacity: int, actor: str) -> User:
    """Change how many open leads a rep can hold (routing reads it)."""
    if capacity < 0:
        raise BadInput("capacity must be 0 or more", where="capacity")
    user = get_user_by_email(session, email)
    user.capacity = capacity
    record(session, type="user.capacity", subject_type="user", subject_id=user.id, actor=actor,
           data={"capacity": capacity})
    return user
