"""Web story: alice (sdr, na-sdr) gets leads routed to her; dana manages her; mia evaluates.

`client` drives the pages in-process; `live_server` runs the real app under uvicorn on a free
127.0.0.1 port for the browser tests.
"""

import re
import socket
import threading
from datetime import timedelta

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select

from revteam.api.app import create_app
from revteam.config import get_settings
from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.events.service import record
from revteam.leads.flow import actions as flow
from revteam.users.models import User
from tests.concurrency import SAFETY_NET_SECONDS, wait_until

PASSWORD = "correct-horse"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def client(db_url):
    with TestClient(create_app(db_url)) as client:
        yield client


@pytest.fixture
def sign_in(client):
    """Sign `client` in as a user; returns the CSRF token of the new session."""

    def as_user(user) -> str:
        response = sign_in_form(client, user.email)
        assert response.status_code == 303, response.text
        return csrf_of(client.get("/playbook").text)

    return as_user


@pytest.fixture
def routed_lead(engine, admin, make_lead):
    """A US lead (VP Sales and decision maker at a 300-person software company, scored 70) routed by
    the playbook: to na-sdr's rep."""

    def make(name: str = "Pat") -> int:
        lead_id = make_lead(first_name=name, industry="software", committee_role="decision_maker", score=70)
        with session_scope(engine) as session:
            record(session, type="lead.scored", subject_type="lead", subject_id=lead_id, actor="test",
                   data={"fit": 60, "engagement": 10, "total": 70, "mql": True,
                         "lines": [["fit", "senior_title", 15], ["engagement", "webinar_attended", 10]]})
            actor = session.scalar(select(User).where(User.email == admin.email))
            flow.route_lead(session, lead_id=lead_id, actor=actor, now=utcnow())
        return lead_id

    return make


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_server(db_url):
    """The real app served by uvicorn on 127.0.0.1; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db_url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, what="uvicorn to start")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; nothing downloads a browser. Its launch (30 s by
    default) and its waits (5 s for an `expect`) get the suite's safety net: a loaded machine starts
    and renders slowly, and a wait on a condition must not fail for it."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=SAFETY_NET_SECONDS * 1000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS,
                                             timeout=SAFETY_NET_SECONDS * 1000)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser context; console errors and failed page scripts are collected in page.errors."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(SAFETY_NET_SECONDS * 1000)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


class AppClock:
    """A clock the tests move by hand, handed to every app as app.state.clock."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def app_clock(client, clock):
    """Monday 10:00 for `client`'s app; `app_clock.advance(minutes=5)` moves it on."""
    app_clock = AppClock(clock.now)
    client.app.state.clock = app_clock
    return app_clock


@pytest.fixture
def other_process(db_url, app_clock):
    """A client of a second app on the same database, as another `revteam serve` process would be."""
    with TestClient(create_app(db_url)) as other:
        other.app.state.clock = app_clock
        yield other


@pytest.fixture
def app_with(db_url, monkeypatch):
    """A client of an app built under these REVTEAM_ settings."""
    clients = []

    def build(**settings: str) -> TestClient:
        for name, value in settings.items():
            monkeypatch.setenv(f"REVTEAM_{name.upper()}", value)
        get_settings.cache_clear()
        clients.append(TestClient(create_app(db_url)).__enter__())
        return clients[-1]

    yield build
    for built in clients:
        built.__exit__(None, None, None)
    monkeypatch.undo()
    get_settings.cache_clear()


def sign_in_browser(page, base: str, user) -> None:
    """Sign `user` in through the sign-in page in the browser `page` of the server at `base`."""
    page.goto(f"{base}/sign-in")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_in_form(client, email: str, password: str = PASSWORD, **headers: str):
    """Post the sign-in form as a browser would (fetching the form for its CSRF token first)."""
    token = csrf_of(client.get("/sign-in").text)
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token},
                       headers=headers, follow_redirects=False)
