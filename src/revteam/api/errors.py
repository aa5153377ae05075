"""The one mapping from domain errors to HTTP responses."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from revteam.errors import BadInput, Conflict, RevteamError


async def _domain_error(_request: Request, error: RevteamError) -> JSONResponse:
    body = {"error": type(error).__name__, "detail": str(error)}
    if isinstance(error, BadInput) and error.where:
        body["where"] = error.where
    headers = {"WWW-Authenticate": "Bearer"} if error.http_status == 401 else None
    return JSONResponse(body, status_code=error.http_status, headers=headers)


async def _integrity_error(request: Request, error: IntegrityError) -> JSONResponse:
    """A unique constraint lost to a concurrent request: the same answer as any lost race."""
    return await _domain_error(request, Conflict("conflict with a concurrent change, nothing was saved"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(RevteamError, _domain_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
