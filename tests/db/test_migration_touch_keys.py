"""Migrations 0027 and 0031: the touches stored before them get their keys (0031: integer ones), so a file
of them sent again lands nothing; 0031 undone gives back 0027's hex keys."""

from datetime import UTC, datetime
from hashlib import blake2b

from alembic import command
from sqlalchemy import select

from revteam.accounts.models import Person
from revteam.db import migrate
from revteam.db.session import get_engine, session_scope
from revteam.leads.intake.activity_rows import identity_digest
from revteam.leads.intake.touches import capture_touches
from revteam.leads.models import Activity, Campaign, TouchKey

AT = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def _migrate(engine, revision: str, step=command.upgrade) -> None:
    with engine.begin() as connection:
        config = migrate._config()
        config.attributes["connection"] = connection
        step(config, revision)


def test_touches_stored_before_the_migration_are_known_as_duplicates_after_it(empty_db_url, cli):
    engine = get_engine(empty_db_url)
    _migrate(engine, "0026")
    with session_scope(engine) as session:
        person = Person(email="pat@company1.com", email_normalized="pat@company1.com")
        session.add(person)
        session.flush()
        person_id, campaign = person.id, Campaign(name="Spring launch", channel="web")
        session.add(campaign)
        session.flush()
        session.add_all([Activity(person_id=person_id, type="page_visit", at=AT, source="web", detail="pricing",
                                  campaign_id=campaign.id) for _ in range(2)])
    assert cli("init", "--db", empty_db_url).code == 0  # upgrades to head
    with session_scope(engine) as session:
        assert [tuple(key) for key in session.execute(select(TouchKey.person_id, TouchKey.digest))] == [
            (person_id, identity_digest("page_visit", AT.isoformat(), "web", "Spring launch", "pricing"))]  # twice: one key
        sent_again = capture_touches(session, [{"email": "pat@company1.com", "type": "page_visit", "at": AT.isoformat(),
                                                "channel": "web", "campaign": "Spring launch", "detail": "pricing"},
                                               {"email": "pat@company1.com", "type": "page_visit",
                                                "at": AT.isoformat(), "channel": "web", "detail": "other"}],
                                     actor="test", now=AT)
    assert (sent_again.duplicates, sent_again.landed) == (1, 1)


def test_undoing_the_integer_keys_gives_back_the_hex_digests(empty_db_url, cli):
    assert cli("init", "--db", empty_db_url).code == 0
    engine = get_engine(empty_db_url)
    with session_scope(engine) as session:
        session.add(Person(email="pat@company1.com", email_normalized="pat@company1.com"))
        session.flush()
        capture_touches(session, [{"email": "pat@company1.com", "type": "page_visit", "at": AT.isoformat(),
                                   "channel": "web", "detail": "pricing"}], actor="test", now=AT)
        person_id = session.scalar(select(Person.id))
    _migrate(engine, "0028", step=command.downgrade)
    identity = f"{person_id}\x1fpage_visit\x1f{AT.isoformat()}\x1fweb\x1f\x1fpricing"
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT digest FROM touch_keys").scalars().all() == [
            blake2b(identity.encode(), digest_size=16).hexdigest()]
