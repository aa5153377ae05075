"""Who is signed in: a signed session cookie holding the user's id, checked on every page."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from revteam.db.session import session_scope
from revteam.errors import Forbidden
from revteam.users.models import Role, User
from revteam.users.service import signed_in_user

_USER_KEY = "user_id"


class SignInRequired(Exception):
    """No live session: the page answers with a redirect to the sign-in form."""


@dataclass(frozen=True)
class Viewer:
    """A plain snapshot of the signed-in user for templates (survives the session closing)."""

    id: int
    email: str
    name: str
    role: str
    sales_role: str | None
    team_id: int | None

    @property
    def is_sales(self) -> bool:
        return self.role == Role.sales


def page_session(request: Request) -> Iterator[Session]:
    """One transaction per page request, committed before the response is sent."""
    with session_scope(request.app.state.engine) as session:
        yield session


# scope="function": commit (or roll back) before the response leaves, so what a page shows next is saved.
PageSession = Annotated[Session, Depends(page_session, scope="function")]


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for `user` (a new CSRF token comes with it)."""
    request.session.clear()
    request.session[_USER_KEY] = user.id


def sign_out(request: Request) -> None:
    request.session.clear()


def current_user(request: Request, session: PageSession) -> User:
    """The active user of this session, or SignInRequired."""
    user = signed_in_user(session, request.session.get(_USER_KEY))
    if user is None:
        request.session.pop(_USER_KEY, None)
        raise SignInRequired
    request.state.viewer = Viewer(user.id, user.email, user.name, user.role, user.sales_role, user.team_id)
    return user


PageUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role):
    """A dependency that lets only these roles (and admins) through."""
    allowed = {role.value for role in roles} | {Role.admin.value}

    def check(user: PageUser) -> User:
        if user.role not in allowed:
            raise Forbidden(f"{user.email} is {user.role}; this page is for {', '.join(sorted(allowed))}")
        return user

    return check


AdminPage = Annotated[User, Depends(require_role(Role.admin))]
