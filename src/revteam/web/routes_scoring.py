"""The scoring page: the predictive model's backtest beside the playbook's own score."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from revteam.leads.scoring.predictive.service import model_report
from revteam.playbook.versions import active
from revteam.web.auth import PageSession, PageUser
from revteam.web.charts import calibration_chart
from revteam.web.templating import render

router = APIRouter()


@router.get("/scoring")
def scoring_page(request: Request, session: PageSession, _user: PageUser) -> Response:
    report = model_report(session)
    context = {"title": "Scoring", "report": report, "settings": active(session).playbook.predictive,
               "calibration_chart": calibration_chart(report["calibration"]) if report else None}
    return render(request, "scoring.html", context)
