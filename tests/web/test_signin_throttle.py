"""Failed sign-ins are counted in the database: 5 for one account or 20 from one address within 15 minutes
close the door (429 with Retry-After) for every process, until the oldest failure leaves the window."""

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.users import passwords
from revteam.users.signin.models import SignInFailure
from tests.web.conftest import AppClock, sign_in_form

WRONG = "wrong-horse"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """Counting is under test here, not hashing cost: a light argon2 keeps dozens of sign-ins quick."""
    monkeypatch.setattr(passwords, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    passwords._dummy_hash.cache_clear()
    yield
    passwords._dummy_hash.cache_clear()


def _fail(client, email: str, times: int, **headers: str) -> None:
    for _ in range(times):
        assert sign_in_form(client, email, WRONG, **headers).status_code == 401


def test_the_sixth_attempt_on_one_account_is_refused_until_the_first_failure_expires(client, app_clock, alice):
    _fail(client, alice.email, 1)
    app_clock.advance(minutes=4)
    _fail(client, alice.email, 4)
    response = sign_in_form(client, alice.email)
    assert response.status_code == 429
    assert response.headers["retry-after"] == str(11 * 60)
    assert "too many attempts, try again in 11 minutes" in response.text


def test_the_account_may_try_again_once_the_oldest_failure_leaves_the_window(client, app_clock, alice):
    _fail(client, alice.email, 1)
    app_clock.advance(minutes=4)
    _fail(client, alice.email, 4)
    app_clock.advance(minutes=11)
    assert sign_in_form(client, alice.email).status_code == 303


def test_failures_in_another_process_count_the_same(client, other_process, app_clock, alice):
    _fail(client, alice.email, 3)
    _fail(other_process, alice.email, 2)
    assert sign_in_form(client, alice.email).status_code == 429
    assert sign_in_form(other_process, alice.email).status_code == 429


def test_twenty_failures_from_one_address_close_it_for_every_account(client, app_clock, alice, bob):
    for n in range(20):
        _fail(client, f"guess{n}@acme.io", 1)
    response = sign_in_form(client, bob.email)
    assert response.status_code == 429 and response.headers["retry-after"] == str(15 * 60)


def test_a_successful_sign_in_leaves_the_address_counter_as_it_was(client, app_clock, alice, bob):
    for n in range(19):
        _fail(client, f"guess{n}@acme.io", 1)
    assert sign_in_form(client, alice.email).status_code == 303
    _fail(client, "guess19@acme.io", 1)
    assert sign_in_form(client, bob.email).status_code == 429


def test_failures_and_the_refusal_are_recorded(client, app_clock, alice, engine):
    _fail(client, " ALICE@acme.io ", 5)
    sign_in_form(client, alice.email)
    with session_scope(engine) as session:
        failures = session.execute(select(SignInFailure.email, SignInFailure.address)).all()
        throttled = session.scalar(select(Event).where(Event.type == "signin.throttled"))
        failed = session.scalars(select(Event.type).where(Event.type == "signin.failed")).all()
    assert failures == [("alice@acme.io", "testclient")] * 5 and len(failed) == 5
    assert throttled.data == {"email": "alice@acme.io", "address": "testclient", "retry_after": 15 * 60}


def test_a_forwarded_for_header_from_an_untrusted_client_is_ignored(client, app_clock, alice):
    for n in range(20):
        _fail(client, f"guess{n}@acme.io", 1, **{"X-Forwarded-For": f"203.0.113.{n}"})
    assert sign_in_form(client, alice.email, **{"X-Forwarded-For": "198.51.100.7"}).status_code == 429


@pytest.fixture
def behind_proxy(app_with, clock):
    """The app configured to believe forwarded headers from the test client's address."""
    proxied = app_with(trusted_proxies="10.0.0.9, testclient")
    proxied.app.state.clock = AppClock(clock.now)
    return proxied


def test_behind_a_trusted_proxy_each_forwarded_address_is_counted_apart(behind_proxy, alice, engine):
    for n in range(20):
        _fail(behind_proxy, f"guess{n}@acme.io", 1, **{"X-Forwarded-For": "203.0.113.5"})
    assert sign_in_form(behind_proxy, alice.email, **{"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    assert sign_in_form(behind_proxy, alice.email, **{"X-Forwarded-For": "198.51.100.7"}).status_code == 303
