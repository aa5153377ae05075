"""Cultivation story: leads waiting in marketing's hands at a mid-market company, a big enterprise,
or close to the MQL threshold, on a fake clock: Monday 2 March 2026, 10:00 in New York.
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from revteam.accounts.models import Account, Person
from revteam.cultivation.models import TrackEnrollment
from revteam.cultivation.service import sweep
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.jobs.runner import run_due
from revteam.leads.models import Activity, Lead
from tests.web.conftest import client, sign_in  # noqa: F401  (the board's pages)

MONDAY_10AM = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def now():
    return MONDAY_10AM


@pytest.fixture
def make_lead(engine):
    """A lead in `state` (default cultivating) at a company of `employees`, with `score` points."""
    counter = iter(range(1, 100_000))

    def make(state: str = "cultivating", employees: int = 300, score: int = 20, title: str | None = "Ops Manager") -> int:
        n = next(counter)
        with session_scope(engine) as session:
            account = Account(name=f"Company {n}", name_normalized=f"company {n}", domain=f"company{n}.com",
                              employees=employees, country="US")
            session.add(account)
            session.flush()
            person = Person(account_id=account.id, first_name="Pat", last_name=f"Reader{n}", title=title,
                            email=f"pat@company{n}.com", email_normalized=f"pat@company{n}.com", country="US")
            session.add(person)
            session.flush()
            lead = Lead(person_id=person.id, account_id=account.id, state=state, source="webinar", version=1,
                        score=score, engagement_score=score // 2)
            session.add(lead)
            session.flush()
            return lead.id

    return make


@pytest.fixture
def run_sweep(engine):
    """One sweep in its own committed transaction, as the sweep job runs it."""

    def run(at: datetime) -> dict:
        with session_scope(engine) as session:
            return sweep(session, now=at)

    return run


@pytest.fixture
def tick(engine):
    """Run every job due at `at`, as `revteam tick --now` does."""
    return lambda at: run_due(engine, now=at, worker_id="test")


@pytest.fixture
def enrollments_of(engine):
    def read(lead_id: int) -> list[TrackEnrollment]:
        with session_scope(engine) as session:
            query = select(TrackEnrollment).where(TrackEnrollment.lead_id == lead_id).order_by(TrackEnrollment.id)
            return list(session.scalars(query))

    return read


@pytest.fixture
def events_of(engine):
    def read(lead_id: int, prefix: str = "track.") -> list[Event]:
        with session_scope(engine) as session:
            query = (select(Event).where(Event.subject_type == "lead", Event.subject_id == lead_id,
                                         Event.type.startswith(prefix)).order_by(Event.id))
            return list(session.scalars(query))

    return read


@pytest.fixture
def touches_of(engine):
    def read(lead_id: int) -> list[str]:
        with session_scope(engine) as session:
            query = select(Activity.source).where(Activity.lead_id == lead_id, Activity.type == "nurture_email")
            return list(session.scalars(query.order_by(Activity.id)))

    return read


@pytest.fixture
def move_lead(engine):
    """Change a lead's state as a flow move does (its version goes up)."""

    def move(lead_id: int, state: str) -> None:
        with session_scope(engine) as session:
            lead = session.get(Lead, lead_id)
            lead.state, lead.version = state, lead.version + 1

    return move


@pytest.fixture
def rescore(engine):
    """New engagement raised the lead's score; its state stays."""

    def change(lead_id: int, score: int) -> None:
        with session_scope(engine) as session:
            session.get(Lead, lead_id).score = score

    return change
