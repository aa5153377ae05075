"""Every SQLite connection of the app reads its pages from the database file mapped into memory,
shared through the OS page cache, rather than copied one system call at a time into its own cache."""

import pytest
from sqlalchemy import text


def test_sqlite_connections_map_the_database_file(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("memory-mapped pages are SQLite's")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA mmap_size")).scalar() >= 2**30
