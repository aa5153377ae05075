"""The daily job retrains when the playbook turns it on, and predicts the open leads that arrived since."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.jobs.service import schedule_periodic
from revteam.leads.scoring.predictive.models import LeadPrediction, PredictiveModel

MIDNIGHT = datetime(2026, 12, 1, tzinfo=UTC)


def _run_daily_job(engine, cli, db_url) -> None:
    with session_scope(engine) as session:
        schedule_periodic(session, now=MIDNIGHT)
    assert cli("tick", "--now", "2026-12-02T00:00:01Z", "--db", db_url).code == 0


def _counts(engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        return (session.scalar(select(func.count()).select_from(PredictiveModel)),
                session.scalar(select(func.count()).select_from(LeadPrediction)))


def test_retraining_is_off_by_default(import_history, engine, cli, db_url):
    import_history(400, open_leads=3)
    _run_daily_job(engine, cli, db_url)
    assert _counts(engine) == (0, 0)


def test_a_playbook_that_turns_it_on_gets_a_model_from_the_daily_job(import_history, engine, cli, db_url,
                                                                     use_playbook):
    use_playbook("retrain_every_days: null", "retrain_every_days: 7")
    import_history(400, open_leads=3)
    _run_daily_job(engine, cli, db_url)
    assert _counts(engine) == (1, 3)


def test_open_leads_that_arrive_after_training_are_predicted_the_next_day(import_history, engine, cli, db_url,
                                                                         scoring):
    import_history(400, open_leads=3)
    assert scoring("train", "--now", "2026-11-30T00:00:00Z").code == 0
    import_history(0, seed=9, open_leads=2)
    _run_daily_job(engine, cli, db_url)
    assert _counts(engine) == (1, 5)
