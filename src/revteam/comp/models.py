"""Stored statements of closed periods (never updated: a recalculation is a new revision) and closings."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from revteam.db.base import Base, BigId, Json, UtcDateTime, utcnow


class CompPeriodClose(Base):
    """A month closed for comp: from then on its statements are stored, not computed."""

    __tablename__ = "comp_period_closes"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    closed_by: Mapped[str] = mapped_column(String(254))
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CompStatement(Base):
    """One revision of a rep's statement for a closed month, with the playbook version it used."""

    __tablename__ = "comp_statements"
    __table_args__ = (UniqueConstraint("rep_id", "period", "revision"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("playbook_versions.id"))
    role: Mapped[str] = mapped_column(String(10))
    total_minor: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[list] = mapped_column(Json)  # [{amount, rule, source, explanation}], amounts as strings
    difference: Mapped[list] = mapped_column(Json, default=list)  # line changes from the revision before
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CompDispute(Base):
    """A rep's dispute of one line of a stored statement, and the manager's resolution."""

    __tablename__ = "comp_disputes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("comp_statements.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)  # index into the statement's lines
    expected_minor: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open, accepted, rejected
    opened_by: Mapped[str] = mapped_column(String(254))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(254))
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolution: Mapped[str | None] = mapped_column(Text)
