"""Errors on pages become HTML (a page, or a message in the flash area for HTMX); the API keeps JSON."""

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response
from urllib.parse import quote

from revteam.errors import RevteamError
from revteam.web.auth import SignInRequired
from revteam.web.templating import render

_API_PREFIXES = ("/api", "/forms/", "/health", "/openapi.json")


def _is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


async def _sign_in_required(request: Request, _error: SignInRequired) -> Response:
    target = "/sign-in?next=" + quote(request.url.path, safe="/")
    if _is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def install(app: FastAPI) -> None:
    """Wrap the API's domain-error handler: pages answer in HTML, the API as before."""
    api_handler = app.exception_handlers[RevteamError]

    async def domain_error(request: Request, error: RevteamError) -> Response:
        if request.url.path.startswith(_API_PREFIXES):
            return await api_handler(request, error)
        if _is_htmx(request):
            return render(request, "_flash.html", {"message": str(error), "kind": "error"},
                          status_code=error.http_status,
                          headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
        return render(request, "error.html", {"error": error, "title": type(error).__name__},
                      status_code=error.http_status)

    app.add_exception_handler(RevteamError, domain_error)
    app.add_exception_handler(SignInRequired, _sign_in_required)
