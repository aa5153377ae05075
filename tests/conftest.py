"""Every test gets a fresh database built by the real migrations: SQLite, or PostgreSQL when
REVTEAM_TEST_BACKEND=postgresql (one migrated database per run, emptied before each test)."""

import io
import itertools
import os
import shutil
import sys
import uuid
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.api.app import create_app
from revteam.cli.main import run
from revteam.db.base import utcnow
from revteam.db.migrate import head_revision, upgrade
from revteam.db.session import get_engine, session_scope
from revteam.leads.models import Campaign, Lead
from revteam.playbook.loader import default_playbook_path
from revteam.playbook.versions import activate, ensure_default
from revteam.users import service
from revteam.users.models import Team, User
from revteam.users.schemas import UserIn
from revteam.users.service import add_user, issue_token

# The machine is shared and busy: how fast an example runs says nothing about the code under test.
settings.register_profile("shared_machine", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shared_machine")

BACKEND = os.environ.get("REVTEAM_TEST_BACKEND", "sqlite")
PG_ADMIN_URL = os.environ.get("REVTEAM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RUN_ID = uuid.uuid4().hex[:8]
MONDAY_10AM = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 in New York (EST), inside business hours


def _pg_admin():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _migrate(url: str) -> None:
    engine = get_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    engine.dispose()
    get_engine.cache_clear()


@pytest.fixture(scope="session")
def template_url(tmp_path_factory):
    if BACKEND == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.db'}"
        _migrate(url)
        yield url
        return
    name = f"revteam_tmpl_{RUN_ID}"
    with _pg_admin().connect() as admin:
        admin.execute(text(f"CREATE DATABASE {name}"))
    _migrate(_pg_url(name))
    yield _pg_url(name)
    with _pg_admin().connect() as admin:
        admin.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def _reset_postgresql(url: str) -> None:
    """Empty every table of the shared test database and re-activate the default playbook.

    Much faster than a database per test. Other connections (a killed subprocess, a thread's
    pool) are ended first so nothing holds a lock; replica mode lets DELETE pass the foreign keys
    and the append-only trigger that guards the event log in production; ids restart at 1.
    """
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        tables = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                         "AND tablename <> 'alembic_version'")).scalars().all()
        sequences = connection.execute(text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")).scalars().all()
        statements = ["SET session_replication_role = replica", *(f"DELETE FROM {table}" for table in tables),
                      *(f"SELECT setval('{sequence}', 1, false)" for sequence in sequences),
                      f"UPDATE alembic_version SET version_num = '{head_revision()}'"]
        connection.exec_driver_sql("; ".join(statements))
    engine.dispose()
    get_engine.cache_clear()
    with session_scope(get_engine(url)) as session:
        ensure_default(session)


@pytest.fixture
def db_url(template_url, tmp_path):
    """A migrated database holding nothing but the active default playbook."""
    if BACKEND == "sqlite":
        path = tmp_path / "revteam.db"
        shutil.copy(template_url.removeprefix("sqlite:///"), path)
        yield f"sqlite:///{path}"
        get_engine.cache_clear()
        return
    _reset_postgresql(template_url)
    yield template_url
    get_engine(template_url).dispose()
    get_engine.cache_clear()


@pytest.fixture
def empty_db_url(tmp_path):
    """A database with no schema at all."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        get_engine.cache_clear()
        return
    name = f"revteam_e_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    with _pg_admin().connect() as admin:
        admin.execute(text(f"CREATE DATABASE {name}"))
    yield _pg_url(name)
    get_engine.cache_clear()
    with _pg_admin().connect() as admin:
        admin.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
def engine(db_url):
    return get_engine(db_url)


@pytest.fixture
def session(engine):
    """A session whose work the test commits explicitly (or not)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def _user(engine, **fields):
    with session_scope(engine) as session:
        return add_user(session, UserIn(password="correct-horse", **fields), actor="test")


@pytest.fixture
def client(db_url):
    """A client of the API (tests/web has its own, which also keeps the app's lifespan)."""
    return TestClient(create_app(db_url))


@pytest.fixture
def bearer(engine):
    """The Authorization header of a fresh API token of the user with this e-mail."""

    def headers(email: str) -> dict[str, str]:
        with session_scope(engine) as session:
            return {"Authorization": f"Bearer {issue_token(session, email, name='test', actor='test')}"}

    return headers


@pytest.fixture
def as_root(bearer, admin) -> dict:
    return bearer(admin.email)


@pytest.fixture
def admin(engine):
    return _user(engine, email="root@acme.io", name="Root Admin", role="admin")


@pytest.fixture
def alice(engine):
    return _user(engine, email="alice@acme.io", name="Alice Sdr", role="sales", sales_role="sdr",
                 team="na-sdr", territory="NA", capacity=5)


@pytest.fixture
def bob(engine):
    return _user(engine, email="bob@acme.io", name="Bob Ae", role="sales", sales_role="ae",
                 team="mid-market-ae", territory="NA", capacity=5)


@pytest.fixture
def dana(engine):
    return _user(engine, email="dana@acme.io", name="Dana Manager", role="manager", team="na-sdr")


@pytest.fixture
def carl(engine):
    return _user(engine, email="carl@acme.io", name="Carl Sdr", role="sales", sales_role="sdr",
                 team="na-sdr", territory="NA", capacity=5)


@pytest.fixture
def mia(engine):
    return _user(engine, email="mia@acme.io", name="Mia Marketing", role="marketing", team="demand-gen")


@pytest.fixture
def sam(engine):
    return _user(engine, email="sam@acme.io", name="Sam Success", role="success", team="success")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(monkeypatch):
    """Run `revteam ARGS...` in this process, the way the console script does."""

    def invoke(*args: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "argv", ["revteam", *map(str, args)])
        code = 0
        with redirect_stdout(out), redirect_stderr(err):
            try:
                run()
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        return CliResult(code, out.getvalue(), err.getvalue())

    return invoke


@pytest.fixture
def shipped_playbook() -> Path:
    return Path(__file__).parents[1] / "src" / "revteam" / "playbook" / "default_playbook.yaml"


@pytest.fixture
def use_playbook(engine):
    """Activate the default playbook with `old` (which it must hold) replaced by `new`, and likewise
    each further (old, new) pair."""

    def use(old: str, new: str, *further: tuple[str, str]) -> None:
        text = default_playbook_path().read_text(encoding="utf-8")
        for before, after in [(old, new), *further]:
            assert before in text
            text = text.replace(before, after, 1)
        with session_scope(engine) as session:
            activate(session, text, source="test")

    return use


@pytest.fixture
def join_campaign(engine):
    """Credit a lead to a new campaign of this name."""

    def join(lead_id: int, name: str) -> None:
        with session_scope(engine) as session:
            campaign = Campaign(name=name, channel="webinar")
            session.add(campaign)
            session.flush()
            session.get(Lead, lead_id).campaign_id = campaign.id

    return join


@dataclass(frozen=True)
class Clock:
    """The one fake time of the tests: services are handed `now=clock.now`, the CLI `--now`; nothing sleeps."""

    now: datetime = MONDAY_10AM

    def after(self, **delta: float) -> datetime:
        """`now` moved by timedelta's keywords (negative for earlier): clock.after(hours=3)."""
        return self.now + timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    """Monday 2 March 2026, 10:00 in New York (the playbook's business hours)."""
    return Clock()


@pytest.fixture
def make_lead(engine):
    """Build a lead and return its id: by default in state mql from a webinar, for Pat, VP Sales at a
    new 300-person US company (Company 1, 2, ...), with `score` points (half of them engagement).
    `owner` is the rep working it (a User), `account_owner` the e-mail of the account's owner;
    `with_account=False` leaves the person without an account."""
    numbers = itertools.count(1)

    def make(state: str = "mql", *, employees: int = 300, country: str = "US", industry: str | None = None,
             first_name: str = "Pat", title: str | None = "VP Sales", committee_role: str | None = None,
             score: int = 0, is_mql: bool = False, source: str = "webinar", created_at: datetime | None = None,
             owner: User | None = None, account_owner: str | None = None, with_account: bool = True) -> int:
        n = next(numbers)
        with session_scope(engine) as session:
            owner_id = session.scalar(select(User.id).where(User.email == account_owner)) if account_owner else None
            account = Account(name=f"Company {n}", name_normalized=f"company {n}", domain=f"company{n}.com",
                              employees=employees, country=country, industry=industry, owner_id=owner_id)
            if with_account:
                session.add(account)
                session.flush()
            email = f"{first_name.lower()}@company{n}.com"
            person = Person(account_id=account.id, first_name=first_name, last_name=f"Buyer{n}", title=title,
                            committee_role=committee_role, email=email, email_normalized=email, country=country)
            session.add(person)
            session.flush()
            lead = Lead(person_id=person.id, account_id=account.id, state=state, source=source, version=1,
                        score=score, engagement_score=score // 2, is_mql=is_mql, owner_id=owner and owner.id,
                        created_at=created_at or utcnow())
            session.add(lead)
            session.flush()
            return lead.id

    return make


NEW_USER = {"email": "ada@acme.io", "name": "Ada Ae", "role": "sales", "team": "mid-market-ae"}


@pytest.fixture
def rival_adds_the_same_user_meanwhile(monkeypatch, engine):
    """Between add_user's "is the e-mail new?" and its insert, another request commits that user."""
    real_get_team = service.get_team

    def get_team_after_the_rival(session, name, **kwargs):
        with session_scope(engine) as rival:
            service.add_user(rival, UserIn(email=NEW_USER["email"], name="Rival", role="sales"), actor="rival")
        return real_get_team(session, name, **kwargs)

    monkeypatch.setattr(service, "get_team", get_team_after_the_rival)


@pytest.fixture
def team_lookup_bug(monkeypatch):
    """A bug: the team found is one that is not in the database, so the user's foreign key fails."""
    monkeypatch.setattr(service, "get_team", lambda session, name, **kwargs: Team(id=999_999, name=name))
