"""Every PostgreSQL connection of the app runs without JIT: compiling a search's account count took
1.0 s where running it took 70 ms (400,000 leads), because a visibility check is costed high."""

import pytest
from sqlalchemy import text


def test_postgresql_connections_run_without_jit(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with engine.connect() as connection:
        assert connection.execute(text("SHOW jit")).scalar() == "off"
