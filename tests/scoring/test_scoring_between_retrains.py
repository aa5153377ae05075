"""Between retrains, a lead whose window gains touches is predicted again by the current model, and an
MQL rule that reads the prediction is decided again."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.jobs.service import schedule_periodic
from revteam.leads.models import Activity, Lead
from revteam.leads.scoring.predictive.models import LeadPrediction, PredictiveModel

CREATED = datetime(2026, 12, 1, 12, tzinfo=UTC)
DAY_AFTER = "2026-12-02T00:00:01Z"
NEWCOMER = f"""first_name,last_name,email,company,title,source,employees,created_at
Nia,New,nia@newco.com,Newco,Manager,Web,300,{CREATED.isoformat()}
"""


def _touch(session, lead_id: int, at: datetime) -> None:
    person_id = session.scalar(select(Lead.person_id).where(Lead.id == lead_id))
    session.add(Activity(person_id=person_id, lead_id=lead_id, type="webinar_attended", at=at, source="webinar"))


def _history_where_webinars_win(import_history, engine) -> None:
    """400 closed leads; most of the won, few of the lost, attended a webinar two days after creation."""
    import_history(400)
    with session_scope(engine) as session:
        for number, (lead_id, state, created) in enumerate(session.execute(
                select(Lead.id, Lead.state, Lead.created_at).order_by(Lead.id))):
            if number % 10 < (7 if state == "won" else 1):
                _touch(session, lead_id, created + timedelta(days=2))


def _predictions_of(engine, lead_id: int) -> tuple[list[tuple[int, float]], list[dict]]:
    with session_scope(engine) as session:
        rows = session.execute(select(LeadPrediction.model_id, LeadPrediction.probability)
                               .where(LeadPrediction.lead_id == lead_id)).all()
        events = session.scalars(select(Event.data).where(Event.type == "lead.predicted", Event.subject_id == lead_id)
                                 .order_by(Event.id)).all()
        return [tuple(row) for row in rows], events


def _run_daily_job(engine, cli, db_url) -> None:
    with session_scope(engine) as session:
        schedule_periodic(session, now=CREATED)
    assert cli("tick", "--now", DAY_AFTER, "--db", db_url).code == 0


def test_a_touch_in_the_window_is_predicted_again_by_the_daily_job_and_requalifies(
        import_history, import_text, scoring, engine, cli, db_url, use_playbook):
    _history_where_webinars_win(import_history, engine)
    assert scoring("train", "--now", "2026-11-30T00:00:00Z").code == 0
    import_text(NEWCOMER)
    with session_scope(engine) as session:
        nia = session.scalar(select(Lead.id).where(Lead.created_at == CREATED))
        assert session.get(Lead, nia).state == "cultivating"
    [(model, at_capture)], _ = _predictions_of(engine, nia)
    with session_scope(engine) as session:
        _touch(session, nia, CREATED + timedelta(hours=1))
    expected = json.loads(scoring("explain", str(nia), "--json", "--now", DAY_AFTER).out)["probability"]
    assert expected > at_capture
    bar = (at_capture + expected) / 2
    use_playbook("mql_threshold: 60", "mql_threshold: 0",
                 ("mql_min_fit: 20", f"mql_min_fit: null\nmql_when:\n  - {{field: lead.predicted, op: gte, value: {bar}}}"))
    _run_daily_job(engine, cli, db_url)
    [(model_after, stored)], events = _predictions_of(engine, nia)
    # The same tick's cultivation sweep may have added a nurture touch: the model explains what it stored.
    explained = json.loads(scoring("explain", str(nia), "--json", "--now", DAY_AFTER).out)["probability"]
    assert model_after == model and stored == pytest.approx(explained, abs=1e-12) and stored >= bar
    assert [event["probability"] for event in events] == [round(at_capture, 4), round(stored, 4)]
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(PredictiveModel)) == 1  # no retrain
        assert (session.get(Lead, nia).state, session.get(Lead, nia).is_mql) == ("mql", True)
        reasons = session.scalars(select(Event.data["reason"].as_string()).where(
            Event.type == "lead.scored", Event.subject_id == nia)).all()
    assert "prediction changed" in reasons


def test_a_second_run_of_the_daily_job_changes_nothing(import_history, import_text, scoring, engine, cli, db_url):
    _history_where_webinars_win(import_history, engine)
    assert scoring("train", "--now", "2026-11-30T00:00:00Z").code == 0
    import_text(NEWCOMER)
    _run_daily_job(engine, cli, db_url)
    with session_scope(engine) as session:
        before = session.scalar(select(func.count()).where(Event.type == "lead.predicted"))
    assert cli("tick", "--now", "2026-12-03T00:00:02Z", "--db", db_url).code == 0
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).where(Event.type == "lead.predicted")) == before


def test_a_person_captured_again_is_predicted_again_at_capture(import_history, import_text, scoring, engine):
    _history_where_webinars_win(import_history, engine)
    assert scoring("train", "--now", "2026-11-30T00:00:00Z").code == 0
    import_text(NEWCOMER)
    import_text(NEWCOMER.replace(CREATED.isoformat(), (CREATED + timedelta(hours=2)).isoformat()))
    with session_scope(engine) as session:
        nia = session.scalar(select(Lead.id).where(Lead.created_at == CREATED))
        assert session.scalar(select(func.count()).where(Activity.lead_id == nia)) == 2
    [(_, stored)], events = _predictions_of(engine, nia)
    assert len(events) == 2 and events[0] != events[1]
    assert stored == pytest.approx(json.loads(scoring("explain", str(nia), "--json").out)["probability"], abs=1e-12)
