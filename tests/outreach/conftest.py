"""Outreach story: Pat (make_lead's first person, pat@company1.com) and Sam (sam@company2.com) are
known; their mail provider reports bounces, an admin suppresses people by hand."""

import pytest
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.outreach.models import Suppression


@pytest.fixture
def pat_and_sam(make_lead) -> tuple[int, int]:
    return make_lead("cultivating"), make_lead("cultivating", first_name="Sam")


@pytest.fixture
def suppressions(engine):
    """Every suppression as (e-mail's person id, kind, reason), oldest first."""

    def read() -> list[tuple[int, str, str | None]]:
        with session_scope(engine) as session:
            rows = session.scalars(select(Suppression).order_by(Suppression.id))
            return [(row.person_id, row.kind, row.reason) for row in rows]

    return read


@pytest.fixture
def suppressed_events(engine):
    def read(lead_id: int) -> list[Event]:
        with session_scope(engine) as session:
            query = select(Event).where(Event.type == "person.suppressed", Event.subject_type == "lead",
                                        Event.subject_id == lead_id)
            return list(session.scalars(query.order_by(Event.id)))

    return read
