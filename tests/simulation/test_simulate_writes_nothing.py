"""The simulation runs in a transaction the database keeps from writing: no row, event or job changes."""

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError

from revteam.db.base import Base
from revteam.db.read_only import read_only_scope
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.simulation.service import simulate
from tests.simulation.conftest import MARCH, playbook_text


def _every_row(engine) -> dict[str, list]:
    with session_scope(engine) as session:
        return {table.name: sorted(map(repr, session.execute(select(table)).all()))
                for table in Base.metadata.sorted_tables}


def test_simulating_changes_no_row_event_or_job(engine, add_lead):
    for country in ("US", "MX", "DE"):
        add_lead(country)
    before = _every_row(engine)
    with read_only_scope(engine) as session:
        result = simulate(session, draft_text=playbook_text(("mql_threshold: 60", "mql_threshold: 90")),
                          start=MARCH.replace(day=1), end=MARCH.replace(day=31))
    assert result["leads"] == 3 and result["mql"]["lost"]
    assert _every_row(engine) == before


def test_the_database_refuses_a_write_inside_the_scope(engine, roster):
    with read_only_scope(engine) as session, pytest.raises(DBAPIError):
        session.execute(insert(Event).values(type="x", subject_type="lead", subject_id=1, actor="t", data={}))
    with session_scope(engine) as session:  # and the connection is writable again afterwards
        session.execute(text("UPDATE users SET capacity = capacity"))
