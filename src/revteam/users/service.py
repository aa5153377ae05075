"""Users, teams, pods and API tokens."""

import hashlib
import secrets
from typing import Any

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.errors import BadInput, Forbidden, NotFound
from revteam.events.service import record
from revteam.users.models import ApiToken, Pod, Role, Team, User
from revteam.users.passwords import MIN_LENGTH, hash_password, password_matches
from revteam.users.schemas import UserIn, UserOut
from revteam.users.signin.sessions import end_user_sessions

TOKEN_PREFIX = "rt_"

TEAM_FUNCTION = {Role.sales: "sales", Role.manager: "sales", Role.marketing: "marketing", Role.success: "success"}


def get_team(session: Session, name: str, *, function: str = "sales") -> Team:
    """The team of that name, created on first use."""
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name, function=function)
        session.add(team)
        session.flush()
    return team


def get_pod(session: Session, name: str) -> Pod:
    """The pod of that name, created on first use."""
    pod = session.scalar(select(Pod).where(Pod.name == name))
    if pod is None:
        pod = Pod(name=name)
        session.add(pod)
        session.flush()
    return pod


def add_user(session: Session, user_in: UserIn, *, actor: str) -> User:
    """Create a user; the e-mail must be new."""
    email = user_in.email.lower()
    if session.scalar(select(User.id).where(User.email == email)):
        raise BadInput(f"a user with e-mail {email} already exists", where="email")
    if user_in.sales_role and user_in.role not in (Role.sales, Role.manager):
        raise BadInput(f"sales role {user_in.sales_role} needs role sales or manager", where="sales_role")
    function = TEAM_FUNCTION.get(user_in.role, "sales")
    user = User(
        email=email, name=user_in.name, role=user_in.role.value,
        sales_role=user_in.sales_role.value if user_in.sales_role else None,
        team_id=get_team(session, user_in.team, function=function).id if user_in.team else None,
        pod_id=get_pod(session, user_in.pod).id if user_in.pod else None,
        territory=user_in.territory, capacity=user_in.capacity, weight=user_in.weight,
        password_hash=hash_password(user_in.password) if user_in.password else None,
        active=True, available=True,
    )
    session.add(user)
    session.flush()
    data = user_in.model_dump(mode="json", exclude={"password"})
    record(session, type="user.added", subject_type="user", subject_id=user.id, actor=actor, data=data)
    return user


def get_user_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"no user with e-mail {email!r}")
    return user


def _with_units() -> Select:
    """Users with the names of their team and pod (None where they have none)."""
    return (select(User, Team.name.label("team"), Pod.name.label("pod"))
            .outerjoin(Team, Team.id == User.team_id).outerjoin(Pod, Pod.id == User.pod_id))


def _shown(row) -> UserOut:
    return UserOut.model_validate(row.User).model_copy(update={"team": row.team, "pod": row.pod})


def list_users(session: Session) -> list[UserOut]:
    """Every user by e-mail, with their team's and pod's names."""
    return [_shown(row) for row in session.execute(_with_units().order_by(User.email))]


def names_by_email(session: Session) -> dict[str, str]:
    """Every user's name by e-mail, for showing people where records keep their e-mail."""
    return {email: name for email, name in session.execute(select(User.email, User.name))}


def describe_user(session: Session, user_id: int) -> UserOut:
    """One user as list_users shows them, or NotFound."""
    row = session.execute(_with_units().where(User.id == user_id)).one_or_none()
    if row is None:
        raise NotFound(f"no user {user_id}")
    return _shown(row)


def people(session: Session, *, user_id: int | None = None) -> list[dict[str, Any]]:
    """Every user (or the one with `user_id`) with team, pod and live-token count, by role then name."""
    tokens = (select(func.count(ApiToken.id)).where(ApiToken.user_id == User.id, ApiToken.revoked_at.is_(None))
              .correlate(User).scalar_subquery())
    query = _with_units().add_columns(tokens.label("tokens")).order_by(User.role, User.name)
    if user_id is not None:
        query = query.where(User.id == user_id)
    return [{"user": row.User, "team": row.team, "pod": row.pod, "tokens": row.tokens}
            for row in session.execute(query)]


def units(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Teams and pods with how many active people each holds."""
    def count(model, column) -> list[dict[str, Any]]:
        query = (select(model.name, func.count(User.id).label("members"))
                 .outerjoin(User, (column == model.id) & User.active.is_(True))
                 .group_by(model.id, model.name).order_by(model.name))
        return [row._asdict() for row in session.execute(query)]
    return {"teams": count(Team, User.team_id), "pods": count(Pod, User.pod_id)}


def get_user(session: Session, user_id: int) -> User:
    """The user with that id, or NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def deactivate_user(session: Session, email: str, *, actor: str, now: datetime | None = None) -> User:
    """Deactivate a user, revoke their tokens and end their sessions; routing never picks them again."""
    user = get_user_by_email(session, email)
    if not user.active:
        return user
    now = now or utcnow()
    user.active = False
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))):
        token.revoked_at = now
    record(session, type="user.deactivated", subject_type="user", subject_id=user.id, actor=actor, at=now)
    end_user_sessions(session, user=user, reason="deactivated", actor=actor, now=now)
    return user


def set_password(session: Session, email: str, *, password: str, actor: str, now: datetime | None = None) -> User:
    """Give a user a new sign-in password and end every session they have open."""
    if len(password) < MIN_LENGTH:
        raise BadInput(f"must be at least {MIN_LENGTH} characters", where="password")
    user = get_user_by_email(session, email)
    now = now or utcnow()
    user.password_hash = hash_password(password)
    record(session, type="user.password_changed", subject_type="user", subject_id=user.id, actor=actor, at=now)
    end_user_sessions(session, user=user, reason="password_changed", actor=actor, now=now)
    return user


def change_own_password(session: Session, user: User, *, current: str, new: str, now: datetime | None = None) -> User:
    """A user's own password change: the current password first, then as set_password."""
    if not password_matches(user.password_hash, current):
        raise Forbidden("the current password is wrong")
    return set_password(session, user.email, password=new, actor=user.email, now=now)


def set_availability(session: Session, email: str, *, available: bool, actor: str) -> User:
    """Mark a user in or out of office."""
    user = get_user_by_email(session, email)
    user.available = available
    record(session, type="user.availability", subject_type="user", subject_id=user.id, actor=actor,
           data={"available": available})
    return user


def set_capacity(session: Session, email: str, *, capacity: int, actor: str) -> User:
    """Change how many open leads a rep can hold (routing reads it)."""
    if capacity < 0:
        raise BadInput("capacity must be 0 or more", where="capacity")
    user = get_user_by_email(session, email)
    user.capacity = capacity
    record(session, type="user.capacity", subject_type="user", subject_id=user.id, actor=actor,
           data={"capacity": capacity})
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, email: str, *, name: str, actor: str) -> str:
    """Create an API token; the plain token is returned once and only its hash is stored."""
    user = get_user_by_email(session, email)
    if not user.active:
        raise BadInput(f"user {email} is deactivated", where="email")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, prefix=token[:10], token_hash=_token_digest(token)))
    record(session, type="token.issued", subject_type="user", subject_id=user.id, actor=actor, data={"name": name})
    return token


def user_for_token(session: Session, token: str) -> User:
    """The active user owning a live token, or Forbidden."""
    row = session.execute(
        select(User, ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _token_digest(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.User.active:
        raise Forbidden("invalid or revoked API token")
    return row.User
