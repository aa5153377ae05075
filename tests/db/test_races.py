"""Only the unique constraints that settle races are lost races; every other integrity error is a bug."""

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from revteam.accounts.models import Account, Person
from revteam.db.races import RACES, lost_race
from revteam.db.session import session_scope
from revteam.errors import Conflict
from revteam.users.models import Team, User


def _violation(engine, table, *rows: dict) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, session_scope(engine) as session:
        for row in rows:
            session.execute(insert(table), row)
    return caught.value


@pytest.mark.parametrize("table, rows", [
    (Account.__table__, [{"name": "Initech", "name_normalized": "initech", "domain": "initech.com", "is_competitor": False}] * 2),
    (Person.__table__, [{"first_name": "Ann", "email_normalized": "ann@initech.com"}] * 2),
    (Team.__table__, [{"name": "na-sdr", "function": "sales"}] * 2),
])
def test_a_second_insert_on_a_race_constraint_is_a_conflict_naming_it(engine, table, rows):
    conflict = lost_race(_violation(engine, table, *rows))
    assert isinstance(conflict, Conflict) and "was saved first" in str(conflict)


def test_a_taken_primary_key_is_not_a_race(engine):
    rows = [{"id": 7, "name": "Initech", "name_normalized": "initech", "is_competitor": False},
            {"id": 7, "name": "Hooli", "name_normalized": "hooli", "is_competitor": False}]
    assert lost_race(_violation(engine, Account.__table__, *rows)) is None


def test_a_missing_foreign_key_or_a_null_is_not_a_race(engine):
    assert lost_race(_violation(engine, User.__table__, {"email": "a@acme.io", "name": "A", "role": "sales",
                                                          "team_id": 999, "active": True, "available": True,
                                                          "capacity": 1, "weight": 1})) is None
    assert lost_race(_violation(engine, Team.__table__, {"name": None, "function": "sales"})) is None


def test_every_race_names_a_unique_constraint_of_the_database(engine):
    if engine.dialect.name == "postgresql":
        query = text("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
    else:
        query = text("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    with engine.connect() as connection:
        indexes = set(connection.execute(query).scalars())
    missing = set(RACES) - indexes
    if engine.dialect.name == "sqlite":  # SQLite keeps table-level UNIQUE constraints as autoindexes
        with engine.connect() as connection:
            sql = "\n".join(connection.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table'")).scalars())
        missing = {name for name in missing if f"CONSTRAINT {name} UNIQUE" not in sql}
    assert missing == set()
