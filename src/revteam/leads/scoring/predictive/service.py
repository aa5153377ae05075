"""Training a model on the closed leads, predicting every open lead with it, and explaining one.

The time split is by creation: the earliest 80 % of the closed leads train the model, the latest
20 % test it, so the reported AUC is a backtest on leads it did not see. A new model is a new
version; its predictions are added beside the earlier models' and each is a `lead.predicted`
event in the lead's timeline. Between retrains the newest model predicts each lead as intake lands
it (before scoring it, so the MQL rule may read the prediction) and, in the daily job, again while
its window is open.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from revteam.accounts.models import Person
from revteam.db.bulk import Storage, insert_rows
from revteam.db.key_lists import among
from revteam.errors import BadInput, NotFound
from revteam.events.service import record, record_bulk
from revteam.leads.access import visible_leads
from revteam.leads.models import DISPOSED_STATES, OPEN_LEAD, Lead
from revteam.leads.scoring.predictive import model as regression
from revteam.leads.scoring.predictive.features import Known, arrival_snapshots, snapshots
from revteam.leads.scoring.predictive.models import LeadPrediction, PredictiveModel
from revteam.leads.scoring.rescoring import reads_prediction, rescore_leads
from revteam.playbook.schema import Playbook
from revteam.playbook.versions import active, playbook_of
from revteam.users.models import User

TRAIN_SHARE = 0.8
RETRAIN_JOB = "scoring.daily"
log = logging.getLogger(__name__)


def _closed_leads(session: Session) -> list[tuple[int, bool]]:
    query = select(Lead.id, Lead.state == "won").where(Lead.state.in_(DISPOSED_STATES)).order_by(Lead.created_at, Lead.id)
    return [(lead_id, bool(won)) for lead_id, won in session.execute(query)]


def _refuse_short_history(closed: list[tuple[int, bool]], settings) -> None:
    won = sum(w for _, w in closed)
    if len(closed) < settings.min_closed_leads or won < settings.min_won:
        raise BadInput(f"not enough history to train a model: {len(closed)} closed leads, {won} won; the playbook "
                       f"asks for at least {settings.min_closed_leads} closed leads and {settings.min_won} won "
                       "(predictive.min_closed_leads, predictive.min_won)", where="scoring train")


def split_by_time(ordered: list, share: float = TRAIN_SHARE) -> tuple[list, list]:
    """The earliest `share` of these (ordered oldest first) to train, the rest to test."""
    cut = round(len(ordered) * share)
    return ordered[:cut], ordered[cut:]


def train_model(session: Session, *, now: datetime, actor: str) -> dict[str, Any]:
    """Train and store a new model version, backtest it, predict every open lead; its report."""
    current = active(session)
    closed = _closed_leads(session)
    _refuse_short_history(closed, current.playbook.predictive)
    won = dict(closed)
    taken = snapshots(session, list(won), playbook=current.playbook, now=now)
    train, test = split_by_time(taken)
    if not any(won[s.lead_id] for s in train) or all(won[s.lead_id] for s in train):
        raise BadInput("the earliest 80 % of the closed leads are all won or all lost: nothing to learn from",
                       where="scoring train")
    parameters = regression.fit([s.features for s in train], [won[s.lead_id] for s in train])
    tested = regression.backtest([regression.probability(parameters, s.features) for s in test],
                                 [s.rule_score for s in test], [won[s.lead_id] for s in test])
    report = {"trained_on": {"leads": len(train), "won": sum(won[s.lead_id] for s in train),
                             "created_until": train[-1].created_at.isoformat()},
              "test": {key: tested[key] for key in ("leads", "won", "auc", "rule_score_auc")}
              | {"created_from": test[0].created_at.isoformat() if test else None},
              "calibration": tested["calibration"], "factors": regression.top_factors(parameters),
              "window_days": current.playbook.predictive.window_days}
    stored = PredictiveModel(trained_at=now, playbook_version_id=current.version_id,
                             window_days=current.playbook.predictive.window_days, parameters=parameters, report=report)
    session.add(stored)
    session.flush()
    record(session, type="scoring.model_trained", subject_type="predictive_model", subject_id=stored.id, actor=actor,
           at=now, data={"model": stored.id, **{k: report[k] for k in ("trained_on", "test")}})
    predicted = predict_open_leads(session, stored, now=now)
    return {"model": stored.id, **report, "predicted_open_leads": predicted}


def latest_model(session: Session) -> PredictiveModel | None:
    """The newest model version, or None before any was trained."""
    return session.scalar(select(PredictiveModel).order_by(PredictiveModel.id.desc()).limit(1))


def model_report(session: Session) -> dict[str, Any] | None:
    """The newest model's backtest as `scoring train` reported it, with its version and when; None before one."""
    model = latest_model(session)
    if model is None:
        return None
    return {"model": model.id, "trained_at": model.trained_at.isoformat(), **model.report}


def _require_model(session: Session) -> PredictiveModel:
    model = latest_model(session)
    if model is None:
        raise NotFound("no predictive model yet: run `revteam scoring train`")
    return model


@dataclass(frozen=True, slots=True)
class Predictions:
    """Probabilities one model gave, by lead, not stored yet."""

    model: PredictiveModel
    probabilities: dict[int, float]

    def store(self, session: Session, *, now: datetime) -> list[int]:
        """Store them under the model's version: a lead's row for this model is added, or updated when its
        probability changed (the earlier one stays in its `lead.predicted` event); the leads changed."""
        stored = dict(session.execute(select(LeadPrediction.lead_id, LeadPrediction.probability).where(
            LeadPrediction.model_id == self.model.id, among(session, LeadPrediction.lead_id, list(self.probabilities)))
        ).all())
        changed = {lead_id: chance for lead_id, chance in self.probabilities.items()
                   if lead_id not in stored or round(stored[lead_id], 4) != round(chance, 4)}
        at = Storage.of(session).time(now)
        insert_rows(session, LeadPrediction.__tablename__, ("lead_id", "model_id", "probability", "predicted_at"),
                    [(lead_id, self.model.id, chance, at) for lead_id, chance in changed.items()
                     if lead_id not in stored])
        self._update(session, {lead_id: chance for lead_id, chance in changed.items() if lead_id in stored}, now)
        record_bulk(session, [{"type": "lead.predicted", "subject_type": "lead", "subject_id": lead_id,
                               "actor": "system:scoring", "at": now,
                               "data": {"model": self.model.id, "probability": round(chance, 4)}}
                              for lead_id, chance in changed.items()])
        return list(changed)

    def _update(self, session: Session, moved: dict[int, float], now: datetime) -> None:
        if moved:
            statement = (update(LeadPrediction).where(LeadPrediction.model_id == self.model.id,
                                                      LeadPrediction.lead_id == bindparam("lead"))
                         .values(probability=bindparam("chance"), predicted_at=bindparam("now")))
            session.connection().execute(statement, [{"lead": lead_id, "chance": chance, "now": now}
                                                     for lead_id, chance in moved.items()])


def _model_playbook(session: Session, model: PredictiveModel) -> Playbook:
    return playbook_of(session, model.playbook_version_id)


def predict_open_leads(session: Session, model: PredictiveModel, *, now: datetime) -> int:
    """Predict, with this model, every open lead it has not predicted and every one still inside its
    engagement window (its touches, and its account's, may have changed since); store what changed,
    and score again the leads whose MQL reads the prediction. The number of predictions stored."""
    playbook = _model_playbook(session, model)
    predicted = select(LeadPrediction.lead_id).where(LeadPrediction.model_id == model.id)
    in_window = Lead.created_at > now - timedelta(days=playbook.predictive.window_days)
    lead_ids = session.scalars(select(Lead.id).where(OPEN_LEAD, Lead.id.not_in(predicted) | in_window)).all()
    chances = {snapshot.lead_id: regression.probability(model.parameters, snapshot.features)
               for snapshot in snapshots(session, lead_ids, playbook=playbook, now=now)}
    changed = Predictions(model, chances).store(session, now=now)
    if reads_prediction(active(session).playbook):
        rescore_leads(session, changed, now=now, actor="system:scoring", reason="prediction changed")
    return len(changed)


def predict_arrivals(session: Session, arrivals: list[Known], unstored: list[tuple[int, int, datetime]], *,
                     now: datetime) -> Predictions | None:
    """The newest model's probabilities for leads intake is landing (features.arrival_snapshots), so
    their MQL decision can read `lead.predicted`; None before any model was trained."""
    model = latest_model(session)
    if model is None or not arrivals:
        return None
    taken = arrival_snapshots(session, arrivals, unstored, playbook=_model_playbook(session, model), now=now)
    return Predictions(model, {s.lead_id: regression.probability(model.parameters, s.features) for s in taken})


def open_predictions(session: Session, *, viewer: User | None = None, limit: int | None = None,
                     offset: int = 0) -> list[dict[str, Any]]:
    """Every open lead's probability under the newest model, most likely first; only the leads `viewer`
    may see (leads/access.py) when one is given, the CLI's operator seeing all."""
    model = _require_model(session)
    query = (select(Lead.id, Person.email, LeadPrediction.probability)
             .join(LeadPrediction, (LeadPrediction.lead_id == Lead.id) & (LeadPrediction.model_id == model.id))
             .join(Person, Person.id == Lead.person_id).where(OPEN_LEAD)
             .order_by(LeadPrediction.probability.desc(), Lead.id).limit(limit).offset(offset))
    if viewer is not None:
        query = query.where(visible_leads(session, viewer))
    return [{"lead_id": lead_id, "email": email, "probability": round(chance, 4)}
            for lead_id, email, chance in session.execute(query)]


def explain_lead(session: Session, lead_id: int, *, now: datetime) -> dict[str, Any]:
    """The newest model's prediction for one lead, factor by factor, in points of probability."""
    model = _require_model(session)
    taken = snapshots(session, [lead_id], playbook=_model_playbook(session, model), now=now)
    if not taken:
        raise NotFound(f"no lead {lead_id}")
    snapshot = taken[0]
    return {"lead_id": lead_id, "model": model.id, "as_of": snapshot.as_of.isoformat(),
            **regression.explain(model.parameters, snapshot.features)}


def run_daily(session: Session, *, now: datetime) -> dict[str, Any] | None:
    """The daily job: retrain when the playbook turns it on and the newest model is old enough, else
    predict the open leads that arrived since; the new model's report, or None."""
    every = active(session).playbook.predictive.retrain_every_days
    newest = latest_model(session)
    if every is not None and (newest is None or now - newest.trained_at >= timedelta(days=every)):
        try:
            return train_model(session, now=now, actor="system:scoring")
        except BadInput as refused:
            log.warning("predictive model not retrained: %s", refused)
    if newest is not None:
        predict_open_leads(session, newest, now=now)
    return None
