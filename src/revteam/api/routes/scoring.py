"""The predictive score over HTTP: train a model (admins), read its report, the open leads' predictions
(those the user may see) and one lead's explanation."""

from fastapi import APIRouter

from revteam.api.deps import AdminUser, CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.clock import Now
from revteam.errors import NotFound
from revteam.inputs import Id, Limit, Offset
from revteam.leads.access import require_visible
from revteam.leads.scoring.predictive import service
from revteam.leads.scoring.predictive.schemas import Explanation, ModelReport, Prediction

router = APIRouter(prefix="/api/scoring", tags=["scoring"], responses=SIGNED_IN)


@router.post("/train", status_code=201)
def train(session: SessionDep, user: AdminUser, now: Now) -> ModelReport:
    """Train a new model version on the closed leads; 400 under the playbook's minimum history."""
    return ModelReport.model_validate(service.train_model(session, now=now, actor=user.email))


@router.get("/model")
def current_model(session: SessionDep, user: CurrentUser) -> ModelReport:
    """The newest model's report, as `scoring train` gave it; 404 before any model was trained."""
    report = service.model_report(session)
    if report is None:
        raise NotFound("no predictive model yet: train one (POST /api/scoring/train or `revteam scoring train`)")
    return ModelReport.model_validate(report)


@router.get("/predictions")
def predictions(session: SessionDep, user: CurrentUser, limit: Limit = 100, offset: Offset = 0) -> list[Prediction]:
    """The open leads this user may see, with the newest model's probability, most likely first."""
    return [Prediction.model_validate(row)
            for row in service.open_predictions(session, viewer=user, limit=limit, offset=offset)]


@router.get("/leads/{lead_id}/explain")
def explain(lead_id: Id, session: SessionDep, user: CurrentUser, now: Now) -> Explanation:
    """What raised and lowered one lead's probability, in points; 404 for a lead the user may not see."""
    require_visible(session, user, lead_id)
    return Explanation.model_validate(service.explain_lead(session, lead_id, now=now))
