"""The lead milestones are not re-derived for what a tick's touches and track steps record alone (they
change none of its rows); any other event of the same transaction still has its lead re-derived."""

from revteam.db.session import session_scope
from revteam.events.service import record
from revteam.metrics import milestones


def test_touch_and_track_events_alone_refresh_no_milestones(engine, monkeypatch):
    refreshed = []
    monkeypatch.setattr(milestones, "refresh_touched", lambda session, subjects: refreshed.append(subjects))
    with session_scope(engine) as session:
        record(session, type="touch.sent", subject_type="lead", subject_id=7, actor="system:test")
        record(session, type="track.step", subject_type="lead", subject_id=8, actor="system:test")
    assert refreshed == []
    with session_scope(engine) as session:
        record(session, type="touch.sent", subject_type="lead", subject_id=7, actor="system:test")
        record(session, type="lead.qualified", subject_type="lead", subject_id=9, actor="system:test")
    assert refreshed == [{("lead", 9)}]
