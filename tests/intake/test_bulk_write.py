from datetime import datetime, timedelta, timezone

from revteam.accounts.models import Person
from revteam.db.bulk import Storage, update_rows
from revteam.events.service import record, record_bulk
from revteam.leads.models import Lead

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


def test_rows_updated_in_bulk_read_back_as_set_and_only_where_both_keys_match(session):
    people = [Person(email=f"p{n}@company1.com", email_normalized=f"p{n}@company1.com") for n in range(2)]
    session.add_all(people)
    session.flush()
    leads = [Lead(person_id=person.id, state="new", version=3) for person in people]
    session.add_all(leads)
    session.flush()
    untouched = leads[1].updated_at
    at = datetime(2026, 3, 5, 16, 22, 1, 5, tzinfo=PARIS_SPRING)
    moment = Storage.of(session).time(at)
    update_rows(session, "leads", ("state", "score", "is_mql", "updated_at"), ("id", "version"),
                [("mql", 71, True, moment, leads[0].id, 3), ("mql", 71, True, moment, leads[1].id, 2)])
    session.expire_all()
    assert [(lead.state, lead.score, lead.is_mql, lead.updated_at) for lead in leads] == [
        ("mql", 71, True, at), ("new", 0, False, untouched)]
