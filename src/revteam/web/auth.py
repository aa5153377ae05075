"""Who is signed in: the signed session cookie carries the token of a session kept in the database
(users/signin/sessions.py), checked on every page."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from revteam.clock import now
from revteam.db.session import session_scope
from revteam.errors import Forbidden
from revteam.users.models import Role, User
from revteam.users.signin import sessions
from revteam.users.signin.sessions import SessionPolicy

_TOKEN_KEY = "session_token"


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
        request.state.page_session = session  # the templates' `names` filter reads users through it
        yield session


# scope="function": commit (or roll back) before the response leaves, so what a page shows next is saved.
PageSession = Annotated[Session, Depends(page_session, scope="function")]


def session_policy(request: Request) -> SessionPolicy:
    return SessionPolicy.from_settings(request.app.state.settings)


def client_address(request: Request) -> str:
    """The caller's address: a trusted proxy's X-Forwarded-For is already applied (mount.py), nobody else's."""
    return request.client.host if request.client else "unknown"


def remember_session(request: Request, token: str) -> None:
    """Put a new session's token in a fresh cookie (a new CSRF token comes with it)."""
    request.session.clear()
    request.session[_TOKEN_KEY] = token


def sign_out(request: Request, session: Session) -> None:
    """End the user's sessions on the server and forget the cookie."""
    sessions.sign_out(session, request.session.get(_TOKEN_KEY), now=now(request))
    request.session.clear()


def current_user(request: Request, session: PageSession) -> User:
    """The active user of this session, or SignInRequired."""
    user = sessions.session_user(session, request.session.get(_TOKEN_KEY), now=now(request),
                                 policy=session_policy(request))
    if user is None:
        session.commit()  # keep the end of a lapsed session: raising below rolls the transaction back
        request.session.pop(_TOKEN_KEY, None)
        raise SignInRequired
    request.state.viewer = Viewer(user.id, user.email, user.name, user.role, user.sales_role, user.team_id)
    return user


PageUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role):
    """A dependency that lets only these roles (and admins) through."""
    allowed = {role.value for role in roles} | {Role.admin.value}

    def check(user: PageUser) -> User:
        if user.role not in allowed:
            raise Forbidden(f"{user.name} is {user.role}; this page is for {', '.join(sorted(allowed))}")
        return user

    return check


AdminPage = Annotated[User, Depends(require_role(Role.admin))]
