"""Who may no longer be touched (and why), and the tasks touches give a lead's owner."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from revteam.db.base import Base, BigId, UtcDateTime


class SuppressionKind(StrEnum):
    opt_out = "opt_out"  # the person followed the unsubscribe link
    bounce = "bounce"  # a hard bounce: the address does not take mail
    admin = "admin"  # an admin suppressed the person by hand


class Suppression(Base):
    """A person no touch reaches any more: one row per person, the first reason kept."""

    __tablename__ = "suppressions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(120))


class OwnerTask(Base):
    """Something a track asks the lead's owner to do (`touch` steps `via: task`)."""

    __tablename__ = "owner_tasks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(String(4000))
    source: Mapped[str] = mapped_column(String(120))  # track:ID step N
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
