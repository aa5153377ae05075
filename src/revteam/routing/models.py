"""Offers of a lead to a rep (with their SLA clocks and outcome) and the round-robin rotations."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, and_, or_
from sqlalchemy.orm import Mapped, mapped_column

from revteam.db.base import Base, BigId, Json, UtcDateTime, utcnow


class OfferOutcome(StrEnum):
    open = "open"
    accepted = "accepted"
    rejected = "rejected"
    expired = "expired"
    withdrawn = "withdrawn"  # a manager took the lead from the rep (reassigned, or back to cultivation)


class Stage(StrEnum):
    sdr = "sdr"  # the first routing step (SDRs in an assembly line, the pod in the pods model)
    ae = "ae"  # the handoff of a qualified lead to an account executive


class Offer(Base):
    """One routing of a lead to one rep; the rep accepts, rejects or lets it expire."""

    __tablename__ = "offers"
    __table_args__ = (Index("ix_offers_lead_outcome", "lead_id", "outcome"),
                      # Accepted offers still untouched past first-touch-by (routing/sla.py) by index.
                      Index("ix_offers_touch_due", "outcome", "touched_at", "first_touch_by"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10), default=Stage.sdr)
    offered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    accept_by: Mapped[datetime] = mapped_column(UtcDateTime)
    first_touch_by: Mapped[datetime | None] = mapped_column(UtcDateTime)
    touched_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(String(12), default=OfferOutcome.open)
    reason_code: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set when the lead went back to cultivation: a rejection no longer bars the rep (fair game).
    cleared_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision: Mapped[dict] = mapped_column(Json, default=dict)


def was_accepted() -> ColumnElement[bool]:
    """Offers the rep accepted, including those a manager later withdrew (only acceptance sets first-touch-by)."""
    return or_(Offer.outcome == OfferOutcome.accepted.value,
               and_(Offer.outcome == OfferOutcome.withdrawn.value, Offer.first_touch_by.is_not(None)))


class Rotation(Base):
    """The running round-robin scores of one group ("team:na-sdr"); its row is the group's lock."""

    __tablename__ = "rotations"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    scores: Mapped[dict] = mapped_column(Json, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
