"""The lead flow's story: alice and carl are SDRs in na-sdr, dana manages them, bob is an AE.

The clock is fake: Monday 2 March 2026, 10:00 in New York (the playbook's business hours).
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from revteam.accounts.models import Account, Person
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.jobs.models import Job
from revteam.leads.models import Lead
from revteam.users.models import User
from revteam.users.schemas import UserIn
from revteam.users.service import add_user

MONDAY_10AM = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 in New York (EST)


@pytest.fixture
def now():
    return MONDAY_10AM


@pytest.fixture
def carl(engine):
    with session_scope(engine) as session:
        return add_user(session, UserIn(email="carl@acme.io", name="Carl Sdr", role="sales", sales_role="sdr",
                                        team="na-sdr", territory="NA", capacity=5), actor="test")


@pytest.fixture
def team(alice, carl, dana, bob, admin, mia):
    """Everyone in the story, so tests name only what they use."""
    return {"alice": alice, "carl": carl, "dana": dana, "bob": bob, "admin": admin, "mia": mia}


@pytest.fixture
def make_lead(engine):
    """A lead in `state` (default mql) for a person in `country` at a company of `employees`."""
    counter = iter(range(1, 100_000))

    def make(state: str = "mql", country: str = "US", employees: int = 300, owner: str | None = None) -> int:
        n = next(counter)
        with session_scope(engine) as session:
            account = Account(name=f"Company {n}", name_normalized=f"company {n}", domain=f"company{n}.com",
                              employees=employees, country=country)
            if owner:
                account.owner_id = session.scalar(select(User.id).where(User.email == owner))
            session.add(account)
            session.flush()
            person = Person(account_id=account.id, first_name="Pat", last_name=f"Buyer{n}", email=f"pat@company{n}.com",
                            email_normalized=f"pat@company{n}.com", country=country, title="VP Sales")
            session.add(person)
            session.flush()
            lead = Lead(person_id=person.id, account_id=account.id, state=state, source="webinar", version=1)
            session.add(lead)
            session.flush()
            return lead.id

    return make


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
