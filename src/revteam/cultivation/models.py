"""Enrollments: which cultivation track a lead is in, at which step, and when its next step is due."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from revteam.db.base import Base, BigId, UtcDateTime, partial_index, utcnow

ACTIVE_SQL = "state = 'active'"


class EnrollmentState(StrEnum):
    active = "active"
    completed = "completed"  # every step ran
    exited = "exited"  # the lead left cultivation, or a condition step ended the track


class TrackEnrollment(Base):
    __tablename__ = "track_enrollments"
    __table_args__ = (
        # One enrollment per stay in cultivation: a lead's version changes with every state move,
        # so a lead that completed its track is not enrolled again until it comes back anew.
        UniqueConstraint("lead_id", "lead_version"),
        partial_index("uq_track_enrollments_active_lead", "lead_id", unique=True, where=ACTIVE_SQL),
        Index("ix_track_enrollments_state_track_step", "state", "track_id", "step_index"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    lead_version: Mapped[int] = mapped_column(Integer)
    track_id: Mapped[str] = mapped_column(String(80))
    step_index: Mapped[int] = mapped_column(Integer, default=0)  # the next step to run
    state: Mapped[str] = mapped_column(String(12), default=EnrollmentState.active)
    next_step_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(200))
    playbook_version_id: Mapped[int] = mapped_column(ForeignKey("playbook_versions.id"))

