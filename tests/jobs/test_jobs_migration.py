from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import revteam.db.models  # noqa: F401  (every table in the metadata)
from revteam.db.base import Base


def test_jobs_migration_matches_the_model(engine):
    with engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [change for change in drift if "jobs" in repr(change)] == []
