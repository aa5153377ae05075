"""Admin: users, teams, pods, capacity, out of office and API tokens."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from revteam.errors import BadInput
from revteam.inputs import Count, Id, Line
from revteam.users import service
from revteam.users.models import LEAST_PRIVILEGED_ROLE, Role, SalesRole, User
from revteam.users.schemas import UserIn
from revteam.web.auth import AdminPage, PageSession
from revteam.web.templating import render

router = APIRouter(prefix="/admin")


def _row(request: Request, session, user: User, saved: str | None = None) -> Response:
    [row] = service.people(session, user_id=user.id)
    return render(request, "admin/_user_row.html", {"row": row, "saved": saved})


def _user_in(fields: dict) -> UserIn:
    try:
        return UserIn(**{key: value for key, value in fields.items() if value not in ("", None)})
    except ValidationError as error:
        problem = error.errors()[0]
        raise BadInput(problem["msg"], where=".".join(str(part) for part in problem["loc"])) from None


@router.get("")
def admin_page(request: Request, session: PageSession, _admin: AdminPage) -> Response:
    context = {"title": "Admin", "people": service.people(session), **service.units(session),
               "roles": list(Role), "default_role": LEAST_PRIVILEGED_ROLE, "sales_roles": list(SalesRole), "added": request.session.pop("added", None)}
    return render(request, "admin/index.html", context)


@router.post("/users")
def add_user(request: Request, session: PageSession, admin: AdminPage,
             email: Annotated[str, Form()], name: Annotated[str, Form()], role: Annotated[str, Form()],
             password: Annotated[str, Form()], sales_role: Annotated[str, Form()] = "",
             team: Annotated[str, Form()] = "", pod: Annotated[str, Form()] = "",
             territory: Annotated[str, Form()] = "", capacity: Annotated[Count, Form()] = 50) -> Response:
    user_in = _user_in({"email": email, "name": name, "role": role, "password": password, "sales_role": sales_role,
                        "team": team, "pod": pod, "territory": territory, "capacity": capacity})
    user = service.add_user(session, user_in, actor=admin.email)
    request.session["added"] = user.email
    return RedirectResponse("/admin", status_code=303)


@router.post("/users/{user_id}/deactivate")
def deactivate(request: Request, session: PageSession, admin: AdminPage, user_id: Id) -> Response:
    user = service.deactivate_user(session, _email(session, user_id), actor=admin.email)
    return _row(request, session, user)


@router.post("/users/{user_id}/availability")
def availability(request: Request, session: PageSession, admin: AdminPage, user_id: Id,
                 available: Annotated[bool, Form()]) -> Response:
    user = service.set_availability(session, _email(session, user_id), available=available, actor=admin.email)
    return _row(request, session, user)


@router.post("/users/{user_id}/capacity")
def capacity(request: Request, session: PageSession, admin: AdminPage, user_id: Id,
             capacity: Annotated[Count, Form()]) -> Response:
    user = service.set_capacity(session, _email(session, user_id), capacity=capacity, actor=admin.email)
    return _row(request, session, user, saved=f"Capacity of {user.name} saved: {user.capacity} open leads.")


@router.post("/users/{user_id}/token")
def token(request: Request, session: PageSession, admin: AdminPage, user_id: Id,
          name: Annotated[Line, Form(max_length=80)] = "web") -> Response:
    email = _email(session, user_id)
    plain = service.issue_token(session, email, name=name or "web", actor=admin.email)
    return render(request, "admin/_token.html", {"email": email, "token": plain})


def _email(session, user_id: int) -> str:
    return service.get_user(session, user_id).email
