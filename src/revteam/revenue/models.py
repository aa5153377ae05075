"""Get, keep, grow: opportunities, subscriptions and their dated changes, handoffs, health.

`subscription_changes` is the record: one dated row per change of a subscription, in the
order it was written (the id breaks same-day ties: the last row of a day wins). The two
`*_days` tables are rollups kept in step with it in the same transaction (revenue/rollups.py),
so the revenue metrics are a few indexed aggregates instead of a replay of the whole history.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from revteam.db.base import Base, BigId, Json, UtcDateTime, utcnow

Money = BigInteger  # integer minor units (cents)


class Opportunity(Base):
    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), unique=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10), default="open")  # open, won, lost
    amount_minor: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    expected_close: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    lost_reason: Mapped[str | None] = mapped_column(String(40))
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscriptions.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Subscription(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    key: Mapped[str] = mapped_column(String(100))  # the subscription's name in imports
    plan: Mapped[str | None] = mapped_column(String(80))
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SubscriptionChange(Base):
    __tablename__ = "subscription_changes"
    __table_args__ = (Index("ix_subscription_changes_account_date", "account_id", "date"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    date: Mapped[date] = mapped_column(Date)
    mrr_minor: Mapped[int] = mapped_column(Money)
    seats: Mapped[int] = mapped_column(Integer)
    term_months: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    plan: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SubscriptionDay(Base):
    """Rollup: a subscription's end-of-day state on each change day, in force until `until`."""

    __tablename__ = "subscription_days"
    __table_args__ = (Index("ix_subscription_days_day", "day"),)

    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    until: Mapped[date | None] = mapped_column(Date)  # the next change day (exclusive)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    mrr_minor: Mapped[int] = mapped_column(Money)
    seats: Mapped[int] = mapped_column(Integer)
    term_months: Mapped[int] = mapped_column(Integer)
    first_month: Mapped[int] = mapped_column(Integer)  # year * 12 + month - 1 of its first change


class AccountMrrDay(Base):
    """Rollup: an account's MRR movement on each day its total changed (movements.py's definition)."""

    __tablename__ = "account_mrr_days"
    __table_args__ = (Index("ix_account_mrr_days_day", "day"),)

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    month: Mapped[int] = mapped_column(Integer)  # year * 12 + month - 1
    mrr_minor: Mapped[int] = mapped_column(Money)
    mrr_delta: Mapped[int] = mapped_column(Money)
    kind: Mapped[str] = mapped_column(String(12))  # new, expansion, contraction, churn, reactivation
    amount: Mapped[int] = mapped_column(Money)
    customers_delta: Mapped[int] = mapped_column(Integer)  # -1, 0 or +1 paying customers


class Handoff(Base):
    """Sales to success at closed-won: what was promised and the plan for the customer's success."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    success_plan: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Promise(Base):
    __tablename__ = "handoff_promises"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending, confirmed, disputed
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(Text)


class HealthCheck(Base):
    """One reading of a customer's health: success (evidence of value) apart from happiness."""

    __tablename__ = "health_checks"
    __table_args__ = (Index("ix_health_checks_account_at", "account_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    success_score: Mapped[int] = mapped_column(Integer)
    happiness_score: Mapped[int | None] = mapped_column(Integer)
    at_risk: Mapped[bool] = mapped_column(Boolean)
    risk: Mapped[str | None] = mapped_column(String(40))
    signals: Mapped[dict] = mapped_column(Json)
    happiness: Mapped[dict] = mapped_column(Json)
    recorded_by: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
