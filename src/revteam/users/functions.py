"""Which of the three revenue teams (marketing, sales, success) a user belongs to: their team's
function, else their role. The survey and the common-metrics share count members the same way."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from revteam.users.models import Role, Team, User

TEAM_ROLES = (Role.marketing.value, Role.sales.value, Role.success.value)


def _side():
    return func.coalesce(Team.function, User.role)


def members(session: Session, teams: list[str] | None) -> list[int]:
    """Active users of the three teams; `teams` narrows them to these team names or functions."""
    side = _side()
    query = (select(User.id).outerjoin(Team, Team.id == User.team_id)
             .where(User.active.is_(True), side.in_(TEAM_ROLES)))
    if teams:
        query = query.where(or_(Team.name.in_(teams), side.in_(teams)))
    return list(session.scalars(query.order_by(User.id)))


def team_of(session: Session, user: User) -> str:
    query = select(_side()).select_from(User).outerjoin(Team, Team.id == User.team_id).where(User.id == user.id)
    return session.scalar(query)
