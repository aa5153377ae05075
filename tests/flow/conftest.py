"""The lead flow's story: alice and carl are SDRs in na-sdr, dana manages them, bob is an AE.

The clock is the shared fake one (tests/conftest.py): Monday 2 March 2026, 10:00 in New York.
"""

from datetime import datetime

import pytest
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.jobs.models import Job
from revteam.leads.models import Lead
from revteam.users.models import User


@pytest.fixture
def team(alice, carl, dana, bob, admin, mia):
    """Everyone in the story, so tests name only what they use."""
    return {"alice": alice, "carl": carl, "dana": dana, "bob": bob, "admin": admin, "mia": mia}


@pytest.fixture
def act(engine):
    """Run one flow function in its own committed transaction, as a CLI command or request would."""

    def run(function, *, actor: str | None = None, **kwargs):
        with session_scope(engine) as session:
            if actor is not None:
                kwargs["actor"] = session.scalar(select(User).where(User.email == actor))
            return function(session, **kwargs)

    return run


@pytest.fixture
def lead_of(engine):
    def read(lead_id: int) -> tuple[str, str | None]:
        with session_scope(engine) as session:
            lead = session.get(Lead, lead_id)
            owner = session.scalar(select(User.email).where(User.id == lead.owner_id)) if lead.owner_id else None
            return lead.state, owner

    return read


@pytest.fixture
def events_of(engine):
    def read(lead_id: int, type_: str | None = None) -> list[Event]:
        with session_scope(engine) as session:
            query = select(Event).where(Event.subject_type == "lead", Event.subject_id == lead_id).order_by(Event.id)
            if type_:
                query = query.where(Event.type == type_)
            return list(session.scalars(query))

    return read


@pytest.fixture
def jobs_of(engine):
    def read(kind: str, state: str | None = None) -> list[Job]:
        with session_scope(engine) as session:
            query = select(Job).where(Job.kind == kind).order_by(Job.id)
            if state:
                query = query.where(Job.state == state)
            return list(session.scalars(query))

    return read


@pytest.fixture(autouse=True)
def outbox(monkeypatch):
    """E-mails the flow sends, caught instead of going to an SMTP server."""
    sent: list[dict] = []
    monkeypatch.setattr("revteam.notify.service.send_email",
                        lambda *, settings, to, subject, text: sent.append({"to": to, "subject": subject}))
    return sent


@pytest.fixture
def tick(cli, db_url):
    """`revteam tick --now WHEN`: run every job due by then."""

    def run(when: datetime) -> None:
        result = cli("tick", "--now", when.isoformat(), "--db", db_url)
        assert result.code == 0, result.err

    return run
