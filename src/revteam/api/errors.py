"""The one mapping from domain errors to HTTP responses, the one error body, and the statuses
operations declare with it in the OpenAPI document."""

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException

from revteam.db.races import as_domain_error
from revteam.errors import BadInput, RevteamError
from revteam.inputs import problem_location


class ErrorBody(BaseModel):
    """What every refused request answers."""

    error: str = Field(description="The kind of error: BadInput, ValidationError, NotFound, Forbidden, ...")
    detail: str = Field(description="What is wrong, in words.")
    where: str | None = Field(default=None, description="The field or value at fault, e.g. body.mrr_minor.")


def _answer(status: int, error: str, detail: str, where: str | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=error, detail=detail, where=where).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status, headers=headers or None)


async def _domain_error(_request: Request, error: RevteamError) -> JSONResponse:
    where = error.where if isinstance(error, BadInput) else None
    return _answer(error.http_status, type(error).__name__, str(error), where, error.http_headers())


async def _integrity_error(request: Request, error: IntegrityError) -> JSONResponse:
    return await _domain_error(request, as_domain_error(error, during=f"{request.method} {request.url.path}"))


async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    problems = error.errors()
    detail = "; ".join(f"{problem_location(problem)}: {problem['msg']}" for problem in problems)
    return _answer(422, "ValidationError", detail, problem_location(problems[0]))


async def _http_error(_request: Request, error: HTTPException) -> JSONResponse:
    kind = HTTPStatus(error.status_code).phrase.replace(" ", "")
    return _answer(error.status_code, kind, str(error.detail), headers=error.headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RevteamError, _domain_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)


def error_responses(*statuses: int) -> dict[int | str, dict]:
    """The OpenAPI `responses=` of operations that can answer these error statuses, all with the one body."""
    return {status: {"model": ErrorBody, "description": HTTPStatus(status).phrase} for status in statuses}


# What any operation behind a token can answer: bad input, no or a bad token, not allowed, not found
# (or not visible), a lost race or a move the state machine refuses, a value outside its bounds.
SIGNED_IN = error_responses(400, 401, 403, 404, 409, 422)
