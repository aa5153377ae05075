"""The one mapping from domain errors to HTTP responses."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from revteam.errors import BadInput, RevteamError


async def _domain_error(_request: Request, error: RevteamError) -> JSONResponse:
    body = {"error": type(error).__name__, "detail": str(error)}
    if isinstance(error, BadInput) and error.where:
        body["where"] = error.where
    headers = {"WWW-Authenticate": "Bearer"} if error.http_status == 401 else None
    return JSONResponse(body, status_code=error.http_status, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RevteamError, _domain_error)
