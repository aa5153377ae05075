"""The public forms' rate limit, kept in the database so every server process counts the same posts."""

import math
from datetime import datetime, timedelta

from sqlalchemy import Index, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from revteam.db.base import Base, BigId, UtcDateTime
from revteam.errors import RateLimited

WINDOW = timedelta(minutes=1)
# PostgreSQL advisory lock keys: (_SENDER_LOCKS, hash of the sender key) and _PRUNER_LOCK.
_SENDER_LOCKS = 7007
_PRUNER_LOCK = (7008, 0)


class FormPost(Base):
    """One admitted post from one sender to one form, kept for a minute."""

    __tablename__ = "form_posts"
    __table_args__ = (Index("ix_form_posts_sender_key_posted_at", "sender_key", "posted_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sender_key: Mapped[str] = mapped_column(String(300))
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


def admit(session: Session, *, sender_key: str, limit: int, now: datetime) -> None:
    """Record one post by this sender, or RateLimited when it made `limit` in the last minute."""
    since = now - WINDOW
    _lock_sender_and_prune(session, sender_key, expired=since)
    recent, oldest = session.execute(select(func.count(), func.min(FormPost.posted_at))
                                     .where(FormPost.sender_key == sender_key, FormPost.posted_at > since)).one()
    if recent >= limit:
        raise RateLimited(f"too many submissions: at most {limit} a minute from one sender",
                          retry_after=math.ceil(((oldest or now) + WINDOW - now).total_seconds()))
    session.add(FormPost(sender_key=sender_key, posted_at=now))
    session.flush()


def _lock_sender_and_prune(session: Session, sender_key: str, *, expired: datetime) -> None:
    """Admit one post per sender at a time (count, then insert, is safe) and drop expired posts.

    SQLite: the DELETE takes the database's write lock until commit, which serializes everything.
    PostgreSQL: an advisory lock per sender; only the transaction that wins the pruner's try-lock
    deletes, so two deleting transactions never wait on each other's rows.
    """
    prune = delete(FormPost).where(FormPost.posted_at <= expired)
    if session.get_bind().dialect.name != "postgresql":
        session.execute(prune)
        return
    session.execute(select(func.pg_advisory_xact_lock(_SENDER_LOCKS, func.hashtext(sender_key))))
    if session.scalar(select(func.pg_try_advisory_xact_lock(*_PRUNER_LOCK))):
        session.execute(prune)
