"""Errors on pages become HTML (a page, or a message in the flash area for HTMX); the API keeps JSON.

Whether a request is the API's is decided here only (`_is_api`). A value a page cannot take is a
400 page naming it; an id that cannot be a record, or a path with no page, is the same 404 page as
a record that does not exist; a fault of ours is a 500 page (or JSON body) with an id to quote,
the id logged with the traceback."""

import logging
import secrets

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from urllib.parse import quote

from revteam.db import races
from revteam.errors import BadInput, NotFound, RevteamError
from revteam.inputs import problem_location
from revteam.web.auth import SignInRequired
from revteam.web.templating import render

_API_PREFIXES = ("/api", "/forms/", "/health", "/openapi.json")

log = logging.getLogger(__name__)


class PageRefused(RevteamError):
    """An HTTP error of the framework's own (a method a page does not take...), shown as a page."""

    def __init__(self, message: str, *, http_status: int):
        self.http_status = http_status
        super().__init__(message)


class ServerFault(RevteamError):
    """Something broke on our side; the message carries the id the traceback was logged with."""

    http_status = 500

    def __init__(self, error_id: str):
        self.error_id = error_id
        super().__init__(f"something went wrong on our side and nothing was saved; quote error id {error_id} "
                         "to whoever runs revteam")


def _is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(_API_PREFIXES)


async def _sign_in_required(request: Request, _error: SignInRequired) -> Response:
    target = "/sign-in?next=" + quote(request.url.path, safe="/")
    if _is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _error_page(request: Request, error: RevteamError) -> Response:
    headers = error.http_headers()
    if _is_htmx(request):
        return render(request, "_flash.html", {"message": str(error), "kind": "error"}, status_code=error.http_status,
                      headers={**headers, "HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
    return render(request, "error.html", {"error": error, "title": type(error).__name__},
                  status_code=error.http_status, headers=headers)


def _refused_value(request: Request, error: RequestValidationError) -> RevteamError:
    problem = error.errors()[0]
    if problem["loc"][0] == "path":
        return NotFound(f"there is no page at {request.url.path}: {problem['loc'][-1]} is {problem['msg'].lower()}")
    return BadInput(problem["msg"], where=problem_location(problem))


def _framework_refusal(request: Request, error: HTTPException) -> RevteamError:
    if error.status_code == 404:
        return NotFound(f"there is no page at {request.url.path}")
    return PageRefused(str(error.detail), http_status=error.status_code)


def _integrity_refusal(request: Request, error: IntegrityError) -> RevteamError:
    return races.as_domain_error(error, during=f"{request.method} {request.url.path}")


class FaultAnswers:
    """Innermost middleware: an exception no handler took is logged under a new id and answered as a
    ServerFault (a page or the API's JSON), inside the session and security-header layers."""

    def __init__(self, app: ASGIApp, answer_fault) -> None:
        self.app = app
        self.answer_fault = answer_fault

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as error:
            if started:
                raise
            error_id = secrets.token_hex(6)
            log.error("error id %s on %s %s", error_id, scope["method"], scope["path"], exc_info=error)
            request = Request(scope, receive)
            await (await self.answer_fault(request, ServerFault(error_id)))(scope, receive, send)


def install_fault_answers(app: FastAPI) -> None:
    """Add first, so it sits inside the session cookies and the security headers."""
    app.add_middleware(FaultAnswers, answer_fault=_page_or_api(app, RevteamError))


def _page_or_api(app: FastAPI, kind):
    api_handler = app.exception_handlers[kind]
    as_domain_error = {RevteamError: lambda _request, error: error, RequestValidationError: _refused_value,
                       HTTPException: _framework_refusal, IntegrityError: _integrity_refusal}[kind]

    async def handle(request: Request, error: Exception) -> Response:
        if _is_api(request):
            return await api_handler(request, error)
        return _error_page(request, as_domain_error(request, error))
    return handle


def install(app: FastAPI) -> None:
    """Wrap the API's handlers: pages answer in HTML, the API as before."""
    for kind in (RevteamError, RequestValidationError, HTTPException, IntegrityError):
        app.add_exception_handler(kind, _page_or_api(app, kind))
    app.add_exception_handler(SignInRequired, _sign_in_required)
