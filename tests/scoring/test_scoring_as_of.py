"""A lead's features are what was known at its creation and in its window, never after."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from revteam.db.session import session_scope
from revteam.events.service import record
from revteam.leads.models import Activity, Lead
from revteam.leads.scoring.predictive.features import snapshots
from revteam.playbook.versions import active

CSV = """first_name,last_name,email,company,title,source,employees,created_at
Vera,Vp,vera@initech.com,Initech,VP Sales,webinar,300,2025-01-10T09:00:00Z
Otto,Other,otto@initech.com,Initech,Engineer,web,300,2025-01-01T09:00:00Z
"""
CREATED = datetime(2025, 1, 10, 9, tzinfo=UTC)
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _vera(session) -> int:
    return session.scalar(select(Lead.id).where(Lead.created_at == CREATED))


def _touch(session, lead_id: int, kind: str, at: datetime) -> None:
    person_id = session.scalar(select(Lead.person_id).where(Lead.id == lead_id))
    session.add(Activity(person_id=person_id, lead_id=lead_id, type=kind, at=at, source="email"))


def _features(engine):
    with session_scope(engine) as session:
        [snapshot] = snapshots(session, [_vera(session)], playbook=active(session).playbook, now=NOW)
    return snapshot


def test_activities_after_the_window_and_the_disposition_change_no_feature(import_text, engine):
    import_text(CSV)
    with session_scope(engine) as session:
        vera = _vera(session)
        otto = session.scalar(select(Lead.id).where(Lead.id != vera))
        _touch(session, vera, "webinar_attended", CREATED + timedelta(days=3))
        _touch(session, otto, "email_click", CREATED + timedelta(days=5))
    before = _features(engine)
    assert before.features["touches webinar_attended (log)"] > 0 and before.features["account touches (log)"] > 0
    with session_scope(engine) as session:
        vera = _vera(session)
        otto = session.scalar(select(Lead.id).where(Lead.id != vera))
        for days in (31, 60, 200):
            _touch(session, vera, "demo_request", CREATED + timedelta(days=days))
            _touch(session, otto, "demo_request", CREATED + timedelta(days=days))
        session.execute(update(Lead).where(Lead.id == vera).values(state="won", score=999, fit_score=999))
        record(session, type="lead.disposed", subject_type="lead", subject_id=vera, actor="bob@acme.io",
               at=CREATED + timedelta(days=90), data={"outcome": "won"})
    after = _features(engine)
    assert after.features == before.features and after.rule_score == before.rule_score
    assert after.as_of == before.as_of == CREATED + timedelta(days=30)


def test_a_lead_closed_inside_its_window_is_seen_as_of_its_closing(import_text, engine):
    import_text(CSV)
    with session_scope(engine) as session:
        vera = _vera(session)
        record(session, type="lead.disposed", subject_type="lead", subject_id=vera, actor="bob@acme.io",
               at=CREATED + timedelta(days=10), data={"outcome": "lost"})
        _touch(session, vera, "demo_request", CREATED + timedelta(days=12))
    snapshot = _features(engine)
    assert snapshot.as_of == CREATED + timedelta(days=10)
    assert "touches demo_request (log)" not in snapshot.features
