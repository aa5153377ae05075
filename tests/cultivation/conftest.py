"""Cultivation story: leads (tests/conftest.py's make_lead, in state cultivating) waiting in
marketing's hands at a mid-market company, a big enterprise, or close to the MQL threshold, on the
shared fake clock: Monday 2 March 2026, 10:00 in New York.
"""

from datetime import datetime

import pytest
from sqlalchemy import select

from revteam.cultivation.graduation import confirm_criteria
from revteam.cultivation.models import TrackEnrollment
from revteam.cultivation.service import sweep
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.jobs.runner import run_due
from revteam.leads.models import Activity, Lead
from revteam.users.models import User
from tests.notify.conftest import closed_port, patient_senders, smtp_inbox, use_settings  # noqa: F401  (real SMTP)
from tests.web.conftest import client, sign_in  # noqa: F401  (the board's pages)


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


@pytest.fixture
def cultivated(engine, make_lead):
    """A cultivating VP Sales (confirmed decision maker) at a 300-person US company, fit 35, score 45."""

    def make(**fields) -> int:
        lead_id = make_lead("cultivating", **{"committee_role": "decision_maker", "score": 45, **fields})
        with session_scope(engine) as session:
            session.get(Lead, lead_id).fit_score = 35
        return lead_id

    return make


@pytest.fixture
def confirm(engine):
    """Confirm criteria on a lead as a user, in its own committed transaction."""

    def run(lead_id: int, user, *criteria: str, at, note: str | None = None) -> dict:
        with session_scope(engine) as session:
            actor = session.get(User, user.id)
            return confirm_criteria(session, lead_id=lead_id, actor=actor, criteria=list(criteria), note=note, now=at)

    return run
