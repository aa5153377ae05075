import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from revteam.db.session import session_scope
from revteam.events.service import history, record
from revteam.playbook.versions import active_version_id


def _one_event(engine) -> int:
    with session_scope(engine) as session:
        event = record(session, type="test.happened", subject_type="lead", subject_id=7, actor="carol@acme.io",
                       data={"why": "because"})
        session.flush()
        return event.id


def test_events_carry_the_active_playbook_version(engine):
    _one_event(engine)
    with session_scope(engine) as session:
        [event] = history(session, "lead", 7)
        assert event.playbook_version_id == active_version_id(session)
        assert event.actor == "carol@acme.io" and event.data == {"why": "because"}


def test_an_event_cannot_be_updated(engine):
    event_id = _one_event(engine)
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("UPDATE events SET actor = 'mallory' WHERE id = :id"), {"id": event_id})


def test_an_event_cannot_be_deleted(engine):
    event_id = _one_event(engine)
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM events WHERE id = :id"), {"id": event_id})
    with session_scope(engine) as session:
        assert [event.id for event in history(session, "lead", 7)] == [event_id]


def test_a_failed_change_leaves_no_event(engine):
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            record(session, type="test.happened", subject_type="lead", subject_id=8, actor="x")
            raise RuntimeError("crash half-way")
    with session_scope(engine) as session:
        assert history(session, "lead", 8) == []


def test_history_is_in_order_for_one_subject(engine):
    with session_scope(engine) as session:
        for step in ("first", "second", "third"):
            record(session, type=f"test.{step}", subject_type="account", subject_id=3, actor="x")
        record(session, type="test.other", subject_type="account", subject_id=4, actor="x")
    with session_scope(engine) as session:
        assert [e.type for e in history(session, "account", 3)] == ["test.first", "test.second", "test.third"]
