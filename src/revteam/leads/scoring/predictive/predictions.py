"""The newest model's stored probabilities, read apart from the training code: a lead's page and
`revteam leads show` read them without loading the model, the features or the playbook."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.leads.scoring.predictive.models import LeadPrediction, PredictiveModel


def predictions_by_lead(session: Session, lead_ids: list[int]) -> dict[int, float]:
    """The newest model's probability for each of these leads that has one."""
    newest = select(func.max(PredictiveModel.id)).scalar_subquery()
    query = select(LeadPrediction.lead_id, LeadPrediction.probability).where(
        LeadPrediction.model_id == newest, LeadPrediction.lead_id.in_(lead_ids))
    return dict(session.execute(query).all()) if lead_ids else {}
