"""Predictions for open leads: versioned per model, explained in points that add up, readable by rules."""

import json

from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.leads.scoring.facts import facts_for_lead
from revteam.leads.scoring.predictive.models import LeadPrediction

NOW = "2026-12-01T00:00:00Z"


def _trained(import_history, scoring):
    import_history(400, open_leads=6)
    assert scoring("train", "--now", NOW).code == 0


def test_open_leads_get_a_probability_each(import_history, scoring):
    _trained(import_history, scoring)
    rows = json.loads(scoring("predictions", "--json").out)
    assert len(rows) == 6 and set(rows[0]) == {"lead_id", "email", "probability"}
    assert all(0 < row["probability"] < 1 for row in rows)
    assert rows == sorted(rows, key=lambda row: -row["probability"])


def test_explanation_lines_add_up_to_the_prediction(import_history, scoring):
    _trained(import_history, scoring)
    lead = json.loads(scoring("predictions", "--json").out)[0]
    explanation = json.loads(scoring("explain", str(lead["lead_id"]), "--json").out)
    total = explanation["baseline_points"] + sum(line["points"] for line in explanation["lines"])
    assert abs(total - 100 * explanation["probability"]) < 1e-9
    assert round(explanation["probability"], 4) == lead["probability"]
    assert any(line["points"] > 0 for line in explanation["lines"]) and explanation["lines"][0]["factor"]
    printed = scoring("explain", str(lead["lead_id"]))
    assert printed.code == 0 and "an average lead" in printed.out


def test_a_new_model_is_a_new_version_and_old_predictions_stay(import_history, scoring, engine):
    _trained(import_history, scoring)
    second = json.loads(scoring("train", "--json", "--now", "2026-12-02T00:00:00Z").out)
    assert second["model"] == 2
    with session_scope(engine) as session:
        per_model = dict(session.execute(select(LeadPrediction.model_id, func.count()).group_by(LeadPrediction.model_id)).all())
        predicted_events = session.scalar(select(func.count()).where(Event.type == "lead.predicted"))
        lead_id = session.scalar(select(LeadPrediction.lead_id).limit(1))
        facts = facts_for_lead(session, lead_id)
        newest = session.scalar(select(LeadPrediction.probability).where(
            LeadPrediction.lead_id == lead_id, LeadPrediction.model_id == 2))
    assert per_model == {1: 6, 2: 6} and predicted_events == 12
    assert facts["lead.predicted"] == newest


def test_explaining_before_any_model_says_how_to_get_one(scoring, import_history):
    import_history(10)
    result = scoring("explain", "1")
    assert result.code == 2 and "run `revteam scoring train`" in result.err
