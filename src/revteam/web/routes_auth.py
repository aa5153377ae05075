"""Signing in and out, and the landing page that sends each role to its own start page."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from revteam.errors import Forbidden
from revteam.users.models import Role
from revteam.users.service import verify_password
from revteam.web.auth import PageSession, PageUser, sign_in, sign_out
from revteam.web.templating import render

router = APIRouter()

START_PAGE = {Role.sales: "/inbox", Role.manager: "/inbox", Role.marketing: "/cultivation",
              Role.success: "/dashboard", Role.admin: "/dashboard"}


def _safe_next(target: str | None) -> str | None:
    """Only a local path: never send a user to another site after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@router.get("/")
def home(user: PageUser) -> Response:
    return RedirectResponse(START_PAGE.get(user.role, "/dashboard"), status_code=303)


@router.get("/sign-in")
def sign_in_form(request: Request, next: str | None = None) -> Response:
    return render(request, "sign_in.html", {"next": _safe_next(next), "title": "Sign in"})


@router.post("/sign-in")
def sign_in_submit(request: Request, session: PageSession, email: Annotated[str, Form()],
                   password: Annotated[str, Form()], next: Annotated[str | None, Form()] = None) -> Response:
    try:
        user = verify_password(session, email, password)
    except Forbidden as error:
        context = {"next": _safe_next(next), "email": email, "error": str(error), "title": "Sign in"}
        return render(request, "sign_in.html", context, status_code=401)
    sign_in(request, user)
    return RedirectResponse(_safe_next(next) or START_PAGE.get(user.role, "/dashboard"), status_code=303)


@router.post("/sign-out")
def sign_out_submit(request: Request) -> Response:
    sign_out(request)
    return RedirectResponse("/sign-in", status_code=303)
