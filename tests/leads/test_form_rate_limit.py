"""The public forms' rate limit lives in the database: every process, thread and request counts the same posts."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from revteam.api.app import create_app
from revteam.config import get_settings
from revteam.db.session import session_scope
from revteam.errors import NotFound
from revteam.leads.intake.form_posts import FormPost, RateLimited
from revteam.leads.intake.forms import add_form, admit_post
from tests.concurrency import SAFETY_NET_SECONDS

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LIMIT = 3


@pytest.fixture
def form_key(engine):
    with session_scope(engine) as session:
        return add_form(session, name="contact-us", source="website", campaign=None, redirect_url=None,
                        actor="test").key


@pytest.fixture
def post(engine, form_key):
    """One post to the form in its own transaction, as the endpoint makes it; the error if refused."""

    def make(at: datetime, sender: str = "203.0.113.7", key: str = form_key) -> Exception | None:
        try:
            with session_scope(engine) as session:
                admit_post(session, key=key, sender=sender, limit=LIMIT, now=at)
        except (RateLimited, NotFound) as error:
            return error
        return None

    return make


def test_a_sender_past_the_limit_is_refused_within_the_minute(post):
    outcomes = [post(NOON + timedelta(seconds=second)) for second in (0, 10, 20, 59)]
    assert outcomes[:LIMIT] == [None] * LIMIT
    assert "at most 3 a minute" in str(outcomes[LIMIT])


def test_a_sender_is_admitted_again_once_its_oldest_post_is_a_minute_old(post):
    for second in (0, 10, 20):
        post(NOON + timedelta(seconds=second))
    assert isinstance(post(NOON + timedelta(seconds=59)), RateLimited)
    assert post(NOON + timedelta(seconds=60)) is None
    assert isinstance(post(NOON + timedelta(seconds=61)), RateLimited)


def test_other_senders_keep_their_own_count(post):
    for _ in range(LIMIT):
        post(NOON)
    assert isinstance(post(NOON), RateLimited)
    assert post(NOON, sender="198.51.100.1") is None


def test_a_post_to_an_unknown_form_is_not_found_and_not_counted(post, engine):
    assert isinstance(post(NOON, key="nope"), NotFound)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(FormPost)) == 0


def test_posts_older_than_a_minute_are_deleted(post, engine):
    post(NOON, sender="198.51.100.1")
    post(NOON + timedelta(minutes=5))
    with session_scope(engine) as session:
        assert session.scalars(select(FormPost.posted_at)).all() == [NOON + timedelta(minutes=5)]


def test_one_sender_posting_from_many_threads_at_once_gets_exactly_the_limit(post):
    """Each thread has its own connection, as separate server processes would."""
    attempts = 10
    barrier = threading.Barrier(attempts, timeout=SAFETY_NET_SECONDS)
    outcomes: list = [None] * attempts

    def attempt(index: int) -> None:
        barrier.wait()
        outcomes[index] = post(NOON)

    threads = [threading.Thread(target=attempt, args=(index,)) for index in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SAFETY_NET_SECONDS)
    assert outcomes.count(None) == LIMIT
    assert all(isinstance(outcome, RateLimited) for outcome in outcomes if outcome is not None)


@pytest.fixture
def client_allowing_one_post(db_url, monkeypatch):
    monkeypatch.setenv("REVTEAM_FORM_RATE_LIMIT_PER_MINUTE", "1")
    get_settings.cache_clear()
    with TestClient(create_app(db_url)) as client:
        client.app.state.clock = lambda: NOON  # both posts inside one window, however slow the machine
        yield client
    get_settings.cache_clear()


def test_a_post_refused_for_its_body_still_counts_against_its_sender(client_allowing_one_post, form_key):
    assert client_allowing_one_post.post(f"/forms/{form_key}", json=["not", "fields"]).status_code == 400
    refused = client_allowing_one_post.post(f"/forms/{form_key}", data={"email": "vi@initech.com"})
    assert refused.status_code == 429
    assert "at most 1 a minute" in refused.json()["detail"]


def test_a_refused_sender_is_told_when_its_oldest_post_leaves_the_window(post):
    for second in (0, 10, 20):
        post(NOON + timedelta(seconds=second))
    assert post(NOON + timedelta(seconds=45)).retry_after == 15


def test_the_429_answer_carries_retry_after(db_url, form_key, monkeypatch):
    monkeypatch.setenv("REVTEAM_FORM_RATE_LIMIT_PER_MINUTE", "1")
    get_settings.cache_clear()
    client = TestClient(create_app(db_url))
    get_settings.cache_clear()
    client.app.state.clock = lambda: NOON
    client.post(f"/forms/{form_key}", data={"email": "v1@initech.com"})
    refused = client.post(f"/forms/{form_key}", data={"email": "v2@initech.com"})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert refused.json()["error"] == "RateLimited"
