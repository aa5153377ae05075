"""The alignment survey over HTTP: rounds (admins open and close them), answers, results."""

from typing import Annotated

from fastapi import APIRouter, Path

from revteam.api.deps import AdminUser, CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.survey import rules, service
from revteam.survey.schemas import AnswersIn, RoundIn, RoundName

router = APIRouter(prefix="/api/survey", tags=["survey"], responses=SIGNED_IN)
RoundPath = Annotated[RoundName, Path()]


def _listed(session, name: str) -> dict:
    return next(found for found in service.list_rounds(session) if found["id"] == name)


@router.get("/rounds")
def list_rounds(session: SessionDep, _user: CurrentUser) -> list[dict]:
    return service.list_rounds(session)


@router.post("/rounds", status_code=201)
def open_round(body: RoundIn, session: SessionDep, user: AdminUser) -> dict:
    rules.open_round(session, name=body.name, closes_at=body.closes_at, invite=body.invite, actor=user.email)
    return _listed(session, body.name)


@router.post("/rounds/{name}/close")
def close_round(name: RoundPath, session: SessionDep, user: AdminUser) -> dict:
    rules.close_round(session, name, actor=user.email)
    return _listed(session, name)


@router.post("/rounds/{name}/answers", status_code=201)
def answer(name: RoundPath, body: AnswersIn, session: SessionDep, user: CurrentUser) -> dict:
    rules.answer(session, name, user, body.answers, source="api")
    return {"round": name, "answered": True}


@router.get("/rounds/{name}/results")
def results(name: RoundPath, session: SessionDep, user: CurrentUser) -> dict:
    return service.round_results(session, name, viewer=user)
