"""Signing in: the password check, and throttling by failures stored in the database (so every process
counts the same failures) per account and per address."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from revteam.config import Settings
from revteam.errors import Forbidden, RateLimited
from revteam.events.service import record
from revteam.users.models import User
from revteam.users.passwords import password_matches
from revteam.users.signin.models import SignInFailure
from revteam.users.signin.sessions import SessionPolicy, start_session

_EMAIL_LENGTH = SignInFailure.email.type.length
_ADDRESS_LENGTH = SignInFailure.address.type.length


class SignInThrottled(RateLimited):
    """Too many failed sign-ins for one account or from one address; `retry_after` in seconds."""

    def __init__(self, retry_after: int):
        minutes = math.ceil(retry_after / 60)
        super().__init__(f"too many attempts, try again in {minutes} minute{'s' if minutes != 1 else ''}",
                         retry_after=retry_after)


@dataclass(frozen=True)
class ThrottlePolicy:
    per_account: int
    per_address: int
    window: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> "ThrottlePolicy":
        return cls(settings.signin_failures_per_account, settings.signin_failures_per_address,
                   timedelta(minutes=settings.signin_window_minutes))


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str  # for the session cookie


def _blocking_failure(session: Session, which: ColumnElement[bool], *, limit: int, since: datetime) -> SignInFailure | None:
    """The failure whose leaving the window lets this account or address try again, while `limit` are in it."""
    recent = session.scalars(select(SignInFailure).where(which, SignInFailure.at > since)
                             .order_by(SignInFailure.at.desc(), SignInFailure.id.desc()).limit(limit)).all()
    return recent[-1] if len(recent) == limit else None


def _refuse_if_throttled(session: Session, *, email: str, address: str, now: datetime, policy: ThrottlePolicy) -> None:
    since = now - policy.window
    blocking = [failure for failure in (
        _blocking_failure(session, SignInFailure.email == email, limit=policy.per_account, since=since),
        _blocking_failure(session, SignInFailure.address == address, limit=policy.per_address, since=since),
    ) if failure is not None]
    if not blocking:
        return
    last = max(blocking, key=lambda failure: failure.at)
    retry_after = max(1, math.ceil((last.at + policy.window - now).total_seconds()))
    record(session, type="signin.throttled", subject_type="signin", subject_id=last.id, actor=email, at=now,
           data={"email": email, "address": address, "retry_after": retry_after})
    raise SignInThrottled(retry_after)


def sign_in(session: Session, *, email: str, password: str, address: str, now: datetime,
            throttle: ThrottlePolicy, sessions: SessionPolicy) -> SignedIn:
    """Open a session for the active user with that e-mail and password; Forbidden (the same for an unknown
    e-mail) or SignInThrottled otherwise. The refusal is recorded before it is raised: the caller commits it."""
    email, address = email.strip().lower()[:_EMAIL_LENGTH], address[:_ADDRESS_LENGTH]
    _refuse_if_throttled(session, email=email, address=address, now=now, policy=throttle)
    user = session.scalar(select(User).where(User.email == email))
    usable = user is not None and user.active
    if not password_matches(user.password_hash if usable else None, password):
        failure = SignInFailure(email=email, address=address, at=now)
        session.add(failure)
        session.flush()
        record(session, type="signin.failed", subject_type="signin", subject_id=failure.id, actor=email, at=now,
               data={"email": email, "address": address})
        raise Forbidden("wrong e-mail or password")
    return SignedIn(user, start_session(session, user=user, address=address, now=now, policy=sessions))
