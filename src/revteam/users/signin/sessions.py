"""Web sign-in sessions kept on the server: the cookie holds a random token, the table holds its hash,
so signing out, a deactivation or a new password ends every session of the user in every process."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from revteam.config import Settings
from revteam.events.service import record
from revteam.users.models import User
from revteam.users.signin.models import WebSession

# Writing last_seen_at on every page view would make each read a write; a minute is finer than any idle limit.
SEEN_EVERY = timedelta(minutes=1)
_EVENT_OF_REASON = {"signed_out": "user.signed_out"}


@dataclass(frozen=True)
class SessionPolicy:
    lifetime: timedelta
    idle: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> "SessionPolicy":
        return cls(timedelta(hours=settings.session_hours), timedelta(minutes=settings.session_idle_minutes))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, *, user: User, address: str, now: datetime, policy: SessionPolicy) -> str:
    """Open a session for `user`; the plain token (for the cookie) is returned once, only its hash is kept."""
    token = secrets.token_urlsafe(32)
    web_session = WebSession(token_hash=_digest(token), user_id=user.id, address=address, created_at=now,
                             last_seen_at=now, expires_at=now + policy.lifetime)
    session.add(web_session)
    session.flush()
    record(session, type="user.signed_in", subject_type="user", subject_id=user.id, actor=user.email, at=now,
           data={"session": web_session.id, "address": address})
    return token


def _live(session: Session, token: object) -> tuple[WebSession, User] | None:
    """The session not yet ended that `token` opens, with its user."""
    if not isinstance(token, str):
        return None
    row = session.execute(select(WebSession, User).join(User, User.id == WebSession.user_id)
                          .where(WebSession.token_hash == _digest(token), WebSession.ended_at.is_(None))).first()
    return tuple(row) if row else None


def _lapsed(web_session: WebSession, *, now: datetime, policy: SessionPolicy) -> str | None:
    if now >= web_session.expires_at:
        return "expired"
    if now - web_session.last_seen_at >= policy.idle:
        return "idle"
    return None


def session_user(session: Session, token: object, *, now: datetime, policy: SessionPolicy) -> User | None:
    """The active user of the live session `token` opens, or None; a session past its lifetime or idle
    limit is ended here."""
    found = _live(session, token)
    if found is None:
        return None
    web_session, user = found
    reason = _lapsed(web_session, now=now, policy=policy)
    if reason:
        _end(session, WebSession.id == web_session.id, user=user, reason=reason, actor="system", now=now)
        return None
    if now - web_session.last_seen_at >= SEEN_EVERY:
        web_session.last_seen_at = now
    return user if user.active else None


def sign_out(session: Session, token: object, *, now: datetime) -> None:
    """End every session of the user whose session `token` opens (nothing if it opens none)."""
    found = _live(session, token)
    if found is not None:
        end_user_sessions(session, user=found[1], reason="signed_out", actor=found[1].email, now=now)


def end_user_sessions(session: Session, *, user: User, reason: str, actor: str, now: datetime) -> int:
    """End every live session of `user` at once (how many there were)."""
    return _end(session, WebSession.user_id == user.id, user=user, reason=reason, actor=actor, now=now)


def _end(session: Session, which: ColumnElement[bool], *, user: User, reason: str, actor: str, now: datetime) -> int:
    ended = session.scalars(update(WebSession).where(which, WebSession.ended_at.is_(None))
                            .values(ended_at=now, end_reason=reason).returning(WebSession.id)).all()
    if ended:
        record(session, type=_EVENT_OF_REASON.get(reason, "user.sessions_ended"), subject_type="user",
               subject_id=user.id, actor=actor, at=now, data={"reason": reason, "sessions": sorted(ended)})
    return len(ended)
