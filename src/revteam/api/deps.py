"""Request dependencies: one session per request (committed once), the token's user, a period of months."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from revteam.db.session import session_scope
from revteam.errors import Forbidden
from revteam.periods import Period
from revteam.users.models import Role, User
from revteam.users.service import user_for_token

_bearer = HTTPBearer(auto_error=False, description="An API token from `revteam users token EMAIL`.")


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.engine) as session:
        yield session


# scope="function": commit before the response is sent, so a 2xx always means the change is saved.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


class Unauthenticated(Forbidden):
    http_status = 401

    def http_headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


def get_current_user(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if credentials is None:
        raise Unauthenticated("missing API token: send 'Authorization: Bearer <token>'")
    try:
        return user_for_token(session, credentials.credentials)
    except Forbidden as error:
        raise Unauthenticated(str(error)) from None


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_admin(user: CurrentUser) -> User:
    if user.role != Role.admin:
        raise Forbidden(f"{user.email} is {user.role}; this needs an admin")
    return user


AdminUser = Annotated[User, Depends(require_admin)]


MONTH = "A month written YYYY-MM (included)."


def period_query(first: Annotated[str | None, Query(alias="from", description=MONTH)] = None,
                 last: Annotated[str | None, Query(alias="to", description=MONTH)] = None) -> Period:
    """The months `from` and `to` asked for; either may be left out (an open end)."""
    return Period.parse(first, last)


PeriodQuery = Annotated[Period, Depends(period_query)]
