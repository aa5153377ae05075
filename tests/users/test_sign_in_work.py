"""An unknown or deactivated e-mail costs the same argon2 verification as a wrong password, so the time
of the answer tells nobody which e-mails have accounts (checked by counting calls, never by timing)."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from revteam.errors import Forbidden
from revteam.users import passwords
from revteam.users.service import deactivate_user
from revteam.users.signin.attempts import ThrottlePolicy, sign_in
from revteam.users.signin.sessions import SessionPolicy

THROTTLE = ThrottlePolicy(per_account=5, per_address=20, window=timedelta(minutes=15))
SESSIONS = SessionPolicy(lifetime=timedelta(hours=12), idle=timedelta(hours=1))


class SpyHasher(PasswordHasher):
    """The default hasher, noting every hash it verifies against."""

    __slots__ = ("checked",)

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[str] = []

    def verify(self, hash: str, password: str) -> bool:
        self.checked.append(hash)
        return super().verify(hash, password)


@pytest.fixture
def verifications(monkeypatch) -> list[str]:
    """The hashes each sign-in verified against, in order."""
    spy = SpyHasher()
    monkeypatch.setattr(passwords, "hasher", spy)
    return spy.checked


def _attempt(session, clock, email: str, password: str = "wrong-horse"):
    return sign_in(session, email=email, password=password, address="203.0.113.5", now=clock.now,
                   throttle=THROTTLE, sessions=SESSIONS)


def test_a_wrong_password_verifies_the_users_hash_once(session, clock, alice, verifications):
    with pytest.raises(Forbidden, match="wrong e-mail or password"):
        _attempt(session, clock, alice.email)
    assert verifications == [alice.password_hash]


def test_an_unknown_email_verifies_a_dummy_hash_once(session, clock, alice, verifications):
    with pytest.raises(Forbidden, match="wrong e-mail or password"):
        _attempt(session, clock, "nobody@acme.io")
    [dummy] = verifications
    assert dummy.startswith("$argon2") and dummy != alice.password_hash


def test_a_deactivated_user_verifies_the_dummy_hash_even_with_the_right_password(session, clock, alice, verifications):
    deactivate_user(session, alice.email, actor="test")
    with pytest.raises(Forbidden, match="wrong e-mail or password"):
        _attempt(session, clock, alice.email, "correct-horse")
    [dummy] = verifications
    assert dummy != alice.password_hash


def test_the_dummy_hash_costs_what_a_real_one_does(alice):
    assert passwords._dummy_hash().split("$")[3] == alice.password_hash.split("$")[3]
