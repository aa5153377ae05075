"""The append-only log of domain events. Database triggers refuse UPDATE and DELETE."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from revteam.db.base import Base, BigId, Json, UtcDateTime, utcnow


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_subject", "subject_type", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # (type, id) on its own: the board's latest escalations read it in id order; the metrics read
    # ix_events_type_subject_at (metrics/indexes.py).
    type: Mapped[str] = mapped_column(String(60), index=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(BigId)
    actor: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    data: Mapped[dict] = mapped_column(Json, default=dict)
    playbook_version_id: Mapped[int | None] = mapped_column(ForeignKey("playbook_versions.id"))
