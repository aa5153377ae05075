from datetime import datetime, timedelta, timezone

from revteam.events.service import record, record_bulk

EVENT_COLUMNS = "type, subject_type, subject_id, actor, at, data, playbook_version_id"
PARIS_SPRING = timezone(timedelta(hours=2))


def test_events_appended_in_bulk_are_stored_exactly_as_recorded_ones(session):
    noted = [{"type": "lead.noted", "subject_type": "lead", "subject_id": 7, "actor": "alice", "at": at,
              "data": {"note": "Zoë called", "tags": ["a", None], "score": 1.5}}
             for at in (datetime(2026, 3, 5, 16, 22, 1, 5, tzinfo=PARIS_SPRING),
                        datetime(2026, 3, 5, 16, 22, tzinfo=PARIS_SPRING))]
    for event in noted:
        record(session, **event)
    session.flush()
    record_bulk(session, noted)
    stored = session.connection().exec_driver_sql(
        f"SELECT {EVENT_COLUMNS} FROM events WHERE subject_id = 7 ORDER BY id").all()
    assert stored[2:] == stored[:2]
