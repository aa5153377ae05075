"""The alignment survey's pages: the rounds, the answer form and the results with their trend."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import RedirectResponse, Response

from revteam.survey import queries, rules, service
from revteam.survey.schemas import RoundName
from revteam.users.models import Role
from revteam.web.auth import PageSession, PageUser
from revteam.web.charts import survey_trend_chart
from revteam.web.templating import render

router = APIRouter(prefix="/survey")
RoundPath = Annotated[RoundName, Path()]


@router.get("")
def rounds_page(request: Request, session: PageSession, user: PageUser) -> Response:
    context = {"title": "Alignment survey", "rounds": service.list_rounds(session),
               "to_answer": [r.name for r in queries.open_invitations(session, user.id)]}
    return render(request, "survey/rounds.html", context)


@router.get("/{name}")
def form_page(request: Request, session: PageSession, user: PageUser, name: RoundPath) -> Response:
    survey_round = queries.require_round(session, name)
    survey = rules.round_survey(session, survey_round)
    invitation = queries.invitation(session, survey_round.id, user.id)
    context = {"title": f"Survey {name}", "name": name, "survey": survey, "invited": invitation is not None,
               "answered": invitation is not None and invitation.answered_at is not None}
    return render(request, "survey/form.html", context)


@router.post("/{name}")
async def answer(request: Request, session: PageSession, user: PageUser, name: RoundPath) -> Response:
    form = await request.form()
    answers = {key: value for key, value in form.items() if key != "csrf_token"}
    rules.answer(session, name, user, answers, source="web")
    return RedirectResponse(f"/survey/{name}/results", status_code=303)


@router.get("/{name}/results")
def results_page(request: Request, session: PageSession, user: PageUser, name: RoundPath) -> Response:
    report = service.round_results(session, name, viewer=user)
    rows = service.trend(session)
    whose = "your team" if user.role == Role.manager else "yours"
    return render(request, "survey/results.html", {"title": f"Survey {name} results", "report": report, "whose": whose,
                                                   "trend": rows, "trend_chart": survey_trend_chart(rows)})
