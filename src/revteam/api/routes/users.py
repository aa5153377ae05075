"""Users over HTTP, each with the names of their team and pod."""

from fastapi import APIRouter

from revteam.api.deps import AdminUser, CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.users import service
from revteam.users.schemas import UserIn, UserOut

router = APIRouter(prefix="/api/users", tags=["users"], responses=SIGNED_IN)


@router.get("/me", response_model=UserOut)
def me(session: SessionDep, user: CurrentUser) -> UserOut:
    return service.describe_user(session, user.id)


@router.get("", response_model=list[UserOut])
def list_users(session: SessionDep, _admin: AdminUser) -> list[UserOut]:
    return service.list_users(session)


@router.post("", response_model=UserOut, status_code=201)
def add_user(user_in: UserIn, session: SessionDep, admin: AdminUser) -> UserOut:
    user = service.add_user(session, user_in, actor=admin.email)
    return service.describe_user(session, user.id)
