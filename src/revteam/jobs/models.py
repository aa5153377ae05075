"""Timed work kept in the database: one row per due job, claimed by exactly one worker."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from revteam.db.base import Base, BigId, Json, UtcDateTime, partial_index, utcnow

UNFINISHED_SQL = "state IN ('due', 'running')"


class JobState(StrEnum):
    due = "due"
    running = "running"  # claimed on SQLite until locked_until; PostgreSQL holds a row lock instead
    done = "done"
    dead = "dead"
    cancelled = "cancelled"


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_state_run_at_id", "state", "run_at", "id"),  # the claim's order (runner.py)
        # At most one unfinished job per dedupe key, enforced by the database itself.
        partial_index("uq_jobs_unfinished_dedupe_key", "dedupe_key", unique=True, where=UNFINISHED_SQL),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict] = mapped_column(Json, default=dict)
    state: Mapped[str] = mapped_column(String(12), default=JobState.due)
    run_at: Mapped[datetime] = mapped_column(UtcDateTime)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    locked_by: Mapped[str | None] = mapped_column(String(120))
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
