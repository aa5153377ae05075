"""A touch names a person, and a lead and a campaign when it has them, that exist; those it names cannot
be deleted. On SQLite the foreign keys hold this; on PostgreSQL migration 0030's statement-level checks,
for a single insert, a bulk COPY and an update alike."""

import sqlite3
from datetime import UTC, datetime

import psycopg
import pytest
from alembic import command
from sqlalchemy import delete, inspect, update
from sqlalchemy.exc import IntegrityError

from revteam.accounts.models import Person
from revteam.db import migrate
from revteam.db.bulk import Storage, insert_rows
from revteam.db.session import get_engine, session_scope
from revteam.leads.intake.touches import TOUCH_COLUMNS
from revteam.leads.models import Activity, Campaign

AT = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
MISSING = 987_654
REFUSED = (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError)  # through SQLAlchemy or the driver


@pytest.fixture
def named(engine):
    """A person with a campaign, and one touch naming both: their ids."""
    with session_scope(engine) as session:
        person, campaign = Person(email="pat@company1.com", email_normalized="pat@company1.com"), \
            Campaign(name="Spring launch", channel="web")
        session.add_all([person, campaign])
        session.flush()
        session.add(Activity(person_id=person.id, type="page_visit", at=AT, campaign_id=campaign.id))
        return person.id, campaign.id


def _touch(person_id: int, lead_id: int | None = None, campaign_id: int | None = None) -> tuple:
    return person_id, lead_id, "page_visit", AT, "web", campaign_id, "pricing"


def _bulk(engine, rows: list[tuple]) -> None:
    with session_scope(engine) as session:
        stored = Storage.of(session)
        insert_rows(session, Activity.__tablename__, TOUCH_COLUMNS,
                    [(*row[:3], stored.time(row[3]), *row[4:]) for row in rows])


def _count(engine) -> int:
    with session_scope(engine) as session:
        return session.query(Activity).count()


def test_bulk_touches_naming_rows_that_exist_land(engine, named):
    person_id, campaign_id = named
    _bulk(engine, [_touch(person_id), _touch(person_id, campaign_id=campaign_id)])
    assert _count(engine) == 3


@pytest.mark.parametrize("reference", ["person", "lead", "campaign"])
def test_one_bulk_touch_naming_nothing_fails_the_whole_statement(engine, named, reference):
    person_id, campaign_id = named
    orphan = {"person": _touch(MISSING), "lead": _touch(person_id, lead_id=MISSING),
              "campaign": _touch(person_id, campaign_id=MISSING)}[reference]
    with pytest.raises(REFUSED):
        _bulk(engine, [_touch(person_id, campaign_id=campaign_id)] * 50 + [orphan])
    assert _count(engine) == 1


def test_a_single_touch_naming_nobody_is_refused(engine, named):
    with pytest.raises(REFUSED), session_scope(engine) as session:
        session.add(Activity(person_id=MISSING, type="page_visit", at=AT))
    assert _count(engine) == 1


def test_a_touch_moved_onto_nobody_is_refused(engine, named):
    with pytest.raises(REFUSED), session_scope(engine) as session:
        session.execute(update(Activity).values(person_id=MISSING))


@pytest.mark.parametrize("table", [Person, Campaign])
def test_a_row_a_touch_names_cannot_be_deleted(engine, named, table):
    with pytest.raises(REFUSED), session_scope(engine) as session:
        session.execute(delete(table))


def test_a_person_no_touch_names_can_be_deleted(engine, named):
    with session_scope(engine) as session:
        person = Person(email="lee@company2.com", email_normalized="lee@company2.com")
        session.add(person)
        session.flush()
        session.execute(delete(Person).where(Person.id == person.id))


def _references(engine) -> list[str]:
    return sorted(key["referred_table"] for key in inspect(engine).get_foreign_keys("activities"))


def test_0030_undone_gives_back_the_foreign_keys(empty_db_url, cli):
    engine = get_engine(empty_db_url)
    assert cli("init", "--db", empty_db_url).code == 0
    postgresql = engine.dialect.name == "postgresql"
    assert _references(engine) == ([] if postgresql else ["campaigns", "leads", "people"])
    with engine.begin() as connection:
        config = migrate._config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0032")
    assert _references(engine) == ["campaigns", "leads", "people"]
