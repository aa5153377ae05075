"""The partial indexes and the JSON columns, declared so that a table loads no dialect of its own
(SQLAlchemy imports the PostgreSQL dialect to check a `postgresql_where=`), still say on each
backend what the migrated database holds."""

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

import revteam.db.models  # noqa: F401  (every table in the metadata)
from revteam.db.base import Base
from revteam.jobs.models import Job
from revteam.metrics.milestones import FUNNEL_STEPS

PARTIAL = sorted((index for table in Base.metadata.tables.values() for index in table.indexes
                  if "where" in index.info), key=lambda index: index.name)


def test_the_partial_indexes_are_those_of_the_models():
    names = {index.name for index in PARTIAL}
    assert names == {"uq_jobs_unfinished_dedupe_key", "uq_leads_open_person", "uq_track_enrollments_active_lead",
                     *(f"ix_lead_milestones_to_{step}" for step in FUNNEL_STEPS)}


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
def test_a_partial_index_is_created_with_its_predicate_on_each_backend(dialect):
    for index in PARTIAL:
        assert str(CreateIndex(index).compile(dialect=dialect)).endswith(f" WHERE {index.info['where']}")


def _created_index(connection, name: str) -> str:
    if connection.dialect.name == "sqlite":
        return connection.execute(text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": name}).scalar()
    return connection.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"), {"name": name}).scalar()


def test_the_migrated_database_holds_each_partial_index_with_its_predicate(engine):
    with engine.connect() as connection:
        for index in PARTIAL:
            created = _created_index(connection, index.name)
            assert " WHERE " in created, (index.name, created)
            assert (" UNIQUE " in created) == bool(index.unique), (index.name, created)


def test_a_json_column_is_jsonb_on_postgresql_and_json_on_sqlite():
    assert "\tpayload JSONB " in str(CreateTable(Job.__table__).compile(dialect=postgresql.dialect()))
    assert "\tpayload JSON " in str(CreateTable(Job.__table__).compile(dialect=sqlite.dialect()))
