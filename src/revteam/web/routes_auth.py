"""Signing in and out, changing one's password, and the landing page that sends each role to its start page."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from revteam.errors import Forbidden
from revteam.users.models import Role
from revteam.users.service import change_own_password
from revteam.users.signin.attempts import SignInThrottled, ThrottlePolicy, sign_in
from revteam.clock import now
from revteam.web.auth import (PageSession, PageUser, client_address, remember_session, session_policy,
                              sign_out)
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


def _refused(request: Request, error: Forbidden | SignInThrottled, *, email: str, next: str | None) -> Response:
    """The form again with the reason; a 429 says when to come back (the refusal is committed, not rolled back)."""
    headers = error.http_headers()
    context = {"next": _safe_next(next), "email": email, "error": str(error), "title": "Sign in"}
    status = 401 if isinstance(error, Forbidden) else error.http_status
    return render(request, "sign_in.html", context, status_code=status, headers=headers)


@router.post("/sign-in")
def sign_in_submit(request: Request, session: PageSession, email: Annotated[str, Form()],
                   password: Annotated[str, Form()], next: Annotated[str | None, Form()] = None) -> Response:
    settings = request.app.state.settings
    try:
        signed_in = sign_in(session, email=email, password=password, address=client_address(request),
                            now=now(request), throttle=ThrottlePolicy.from_settings(settings),
                            sessions=session_policy(request))
    except (Forbidden, SignInThrottled) as error:
        return _refused(request, error, email=email, next=next)
    remember_session(request, signed_in.token)
    return RedirectResponse(_safe_next(next) or START_PAGE.get(signed_in.user.role, "/dashboard"), status_code=303)


@router.post("/sign-out")
def sign_out_submit(request: Request, session: PageSession) -> Response:
    sign_out(request, session)
    return RedirectResponse("/sign-in", status_code=303)


@router.get("/password")
def password_form(request: Request, _user: PageUser) -> Response:
    return render(request, "password.html", {"title": "Change password"})


@router.post("/password")
def password_submit(request: Request, session: PageSession, user: PageUser, current: Annotated[str, Form()],
                    new: Annotated[str, Form()]) -> Response:
    change_own_password(session, user, current=current, new=new, now=now(request))
    request.session.clear()
    return RedirectResponse("/sign-in", status_code=303)
