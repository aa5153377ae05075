"""Who may no longer be touched (and why), and the tasks touches give a lead's owner."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
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


class AddressSuppression(Base):
    """A hard bounce for an address nobody known has yet: kept, and applied to the person who arrives with it."""

    __tablename__ = "address_suppressions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email_normalized: Mapped[str] = mapped_column(String(320), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(120))


class OwnerTask(Base):
    """Something a track asks the lead's owner to do (`touch` steps `via: task`)."""

    __tablename__ = "owner_tasks"
    __table_args__ = (Index("ix_owner_tasks_open_owner", "done_at", "owner_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(String(4000))
    source: Mapped[str] = mapped_column(String(120))  # track:ID step N
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # None: made before migration 0028
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    done_by: Mapped[str | None] = mapped_column(String(320))
