"""Users over HTTP."""

from fastapi import APIRouter

from revteam.api.deps import AdminUser, CurrentUser, SessionDep
from revteam.users import service
from revteam.users.schemas import UserIn, UserOut

router = APIRouter(prefix="/api/users", tags=["users"])


@router.get("/me", response_model=UserOut)
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.get("", response_model=list[UserOut])
def list_users(session: SessionDep, _admin: AdminUser) -> list[UserOut]:
    return [UserOut.model_validate(user) for user in service.list_users(session)]


@router.post("", response_model=UserOut, status_code=201)
def add_user(user_in: UserIn, session: SessionDep, admin: AdminUser) -> UserOut:
    return UserOut.model_validate(service.add_user(session, user_in, actor=admin.email))
