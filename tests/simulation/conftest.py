"""The simulation's story: alice and carl are SDRs in na-sdr, pat is in apac-sdr; leads of March 2026 with
no account, so their fit is the country's alone and their engagement is 15 points per form filled in."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from revteam.accounts.models import Person
from revteam.db.session import session_scope
from revteam.leads.models import Activity, Lead
from revteam.routing.models import Offer
from revteam.playbook.loader import default_playbook_path
from revteam.playbook.versions import activate
from revteam.users.models import User
from revteam.users.schemas import UserIn
from revteam.users.service import add_user

MARCH = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in New York
WINDOW = ("--from", "2026-03-01", "--to", "2026-03-31")
NO_MIN_FIT = ("mql_min_fit: 20", "mql_min_fit: null")


def playbook_text(*changes: tuple[str, str]) -> str:
    text = default_playbook_path().read_text(encoding="utf-8")
    for before, after in changes:
        assert before in text
        text = text.replace(before, after, 1)
    return text


@pytest.fixture
def roster(engine, alice, carl):
    with session_scope(engine) as session:
        add_user(session, UserIn(password="correct-horse", email="pat@acme.io", name="Pat Sdr", role="sales",
                                 sales_role="sdr", team="apac-sdr", territory="APAC", capacity=50), actor="test")
    with session_scope(engine) as session:
        activate(session, playbook_text(NO_MIN_FIT), source="test")
    return engine


def add_past_lead(engine, number: int, country: str, forms: int, at: datetime) -> int:
    """Lead `number`, an MQL created at `at` from `country` (no account), with `forms` form submissions then."""
    with session_scope(engine) as session:
        email = f"buyer{number}@firm{number}.io"
        person = Person(first_name="B", last_name="Uyer", email=email, email_normalized=email, country=country)
        session.add(person)
        session.flush()
        lead = Lead(person_id=person.id, state="mql", source="web", created_at=at, updated_at=at)
        session.add(lead)
        session.flush()
        session.add_all(Activity(person_id=person.id, lead_id=lead.id, type="form_submit", at=at) for _ in range(forms))
        return lead.id


@pytest.fixture
def add_lead(roster):
    """A lead created in March from `country` with `forms` form submissions at its creation."""
    made = []

    def add(country: str, forms: int = 4) -> int:
        made.append(add_past_lead(roster, len(made), country, forms, MARCH + timedelta(minutes=len(made) * 7)))
        return made[-1]

    return add


@pytest.fixture
def draft_file(tmp_path):
    def write(*changes: tuple[str, str]) -> str:
        path = tmp_path / "draft.yaml"
        path.write_text(playbook_text(NO_MIN_FIT, *changes), encoding="utf-8")
        return str(path)

    return write


def record_routing(engine, lead_id: int, rep_email: str, rule: str, *, skipped: tuple[str, ...] = ()) -> None:
    """What the router wrote when it offered `lead_id` to `rep_email` at its creation, passing over
    reps for the `skipped` reasons."""
    with session_scope(engine) as session:
        lead, rep_id = session.get(Lead, lead_id), session.scalar(select(User.id).where(User.email == rep_email))
        session.add(Offer(lead_id=lead_id, rep_id=rep_id, offered_at=lead.created_at, accept_by=lead.created_at,
                          decision={"rule": rule, "rep": rep_email,
                                    "skipped": [{"rep": "x@acme.io", "reason": reason} for reason in skipped]}))
