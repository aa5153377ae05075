"""Errors on pages become HTML (a page, or a message in the flash area for HTMX); the API keeps JSON.

A value a page cannot take is a 400 page naming it; an id that cannot be a record, or a path with
no page, is the same 404 page as a record that does not exist."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response
from urllib.parse import quote

from revteam.db import races
from revteam.errors import BadInput, NotFound, RevteamError
from revteam.inputs import problem_location
from revteam.web.auth import SignInRequired
from revteam.web.templating import render

_API_PREFIXES = ("/api", "/forms/", "/health", "/openapi.json")


class PageRefused(RevteamError):
    """An HTTP error of the framework's own (a method a page does not take...), shown as a page."""

    def __init__(self, message: str, *, http_status: int):
        self.http_status = http_status
        super().__init__(message)


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


def install(app: FastAPI) -> None:
    """Wrap the API's handlers: pages answer in HTML, the API as before."""
    kinds = (RevteamError, RequestValidationError, HTTPException, IntegrityError)
    api_handlers = {kind: app.exception_handlers[kind] for kind in kinds}
    as_domain_error = {RevteamError: lambda _request, error: error, RequestValidationError: _refused_value,
                       HTTPException: _framework_refusal, IntegrityError: _integrity_refusal}

    def page_or_api(kind):
        async def handle(request: Request, error: Exception) -> Response:
            if _is_api(request):
                return await api_handlers[kind](request, error)
            return _error_page(request, as_domain_error[kind](request, error))
        return handle

    for kind in api_handlers:
        app.add_exception_handler(kind, page_or_api(kind))
    app.add_exception_handler(SignInRequired, _sign_in_required)
