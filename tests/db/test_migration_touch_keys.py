"""Migration 0027: the touches stored before it get their keys, so a file of them sent again lands nothing."""

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import select

from revteam.accounts.models import Person
from revteam.db import migrate
from revteam.db.session import get_engine, session_scope
from revteam.leads.intake.touches import capture_touches, touch_digest
from revteam.leads.models import Activity, TouchKey

AT = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def _migrate(engine, revision: str) -> None:
    with engine.begin() as connection:
        config = migrate._config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_touches_stored_before_the_migration_are_known_as_duplicates_after_it(empty_db_url, cli):
    engine = get_engine(empty_db_url)
    _migrate(engine, "0026")
    with session_scope(engine) as session:
        person = Person(email="pat@company1.com", email_normalized="pat@company1.com")
        session.add(person)
        session.flush()
        person_id = person.id
        session.add_all([Activity(person_id=person_id, type="page_visit", at=AT, source="web", detail="pricing")
                         for _ in range(2)])
    assert cli("init", "--db", empty_db_url).code == 0  # upgrades to head
    with session_scope(engine) as session:
        assert session.scalars(select(TouchKey.digest)).all() == [  # the same touch twice: one key
            touch_digest(person_id, "page_visit", AT.isoformat(), "web", None, "pricing")]
        sent_again = capture_touches(session, [{"email": "pat@company1.com", "type": "page_visit", "at": AT.isoformat(),
                                                "channel": "web", "detail": "pricing"},
                                               {"email": "pat@company1.com", "type": "page_visit",
                                                "at": AT.isoformat(), "channel": "web", "detail": "other"}],
                                     actor="test", now=AT)
    assert (sent_again.duplicates, sent_again.landed) == (1, 1)
