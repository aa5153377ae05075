"""Leads, the touches that feed engagement, campaigns, and idempotent import chunks."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, bindparam
from sqlalchemy.orm import Mapped, mapped_column

from revteam.db.base import Base, BigId, Json, UtcDateTime, partial_index, utcnow

DISPOSED_STATES = ("won", "lost", "not_a_lead")
_OPEN = "state NOT IN ('won', 'lost', 'not_a_lead')"


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(40))
    cost_minor: Mapped[int] = mapped_column(Integer, default=0)
    started_on: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = (
        # One open lead per person, enforced by the database itself.
        partial_index("uq_leads_open_person", "person_id", unique=True, where=_OPEN),
        Index("ix_leads_state_owner", "state", "owner_id"),
        # The cultivation board counts waiting leads by state and source from this index alone.
        Index("ix_leads_state_source", "state", "source"),
        Index("ix_leads_score_id", "score", "id"),  # the list sorted by score reads its first page from it
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="new")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    source: Mapped[str | None] = mapped_column(String(80), index=True)
    product_interest: Mapped[str | None] = mapped_column(String(80))
    fit_score: Mapped[int] = mapped_column(Integer, default=0)
    engagement_score: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[int] = mapped_column(Integer, default=0)
    is_mql: Mapped[bool] = mapped_column(Boolean, default=False)
    scored_with: Mapped[int | None] = mapped_column(ForeignKey("playbook_versions.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    custom: Mapped[dict | None] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


# The open-lead test written with literal values, as in uq_leads_open_person: SQLite uses a partial
# index only when the query repeats its predicate, and bound values hide it. Without it, finding a
# chunk's known people scanned the whole people table.
OPEN_LEAD = Lead.state.not_in(bindparam("disposed_states", DISPOSED_STATES, expanding=True, literal_execute=True))


class Activity(Base):
    """A touch: something a person did (form, webinar, click) that earns engagement points."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    source: Mapped[str | None] = mapped_column(String(80))  # the channel it came through
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    detail: Mapped[str | None] = mapped_column(String(200))  # what it was about: a subject, a page


class TouchKey(Base):
    """The identity of a touch from outside that landed (leads/intake/touches.py): the same touch sent
    again is found here by one unique key instead of by reading the person's every touch."""

    __tablename__ = "touch_keys"
    __table_args__ = {"sqlite_with_rowid": False}

    # The person and 8 bytes of blake2b of the rest of the identity: two integers compare and index
    # faster than hex text, and a digest only has to tell one person's touches apart.
    person_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    digest: Mapped[int] = mapped_column(BigId, primary_key=True)


class LeadCriterion(Base):
    """One of the playbook's SQL criteria (budget, authority, need, timing) confirmed on a lead, by whom and why.

    A confirmation counts until the lead graduates: a lead that comes back to cultivation is confirmed afresh."""

    __tablename__ = "lead_criteria"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(20))
    confirmed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    confirmed_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class Graduation(Base):
    """A cultivated lead that met the playbook's SQL criteria and went to sales, credited to its track
    (cultivation/graduation.py writes them; the facts read the latest to know which confirmations still count)."""

    __tablename__ = "graduations"
    __table_args__ = (UniqueConstraint("lead_id", "lead_version"),)  # one graduation per stay in cultivation

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    lead_version: Mapped[int] = mapped_column(Integer)  # the lead's version in cultivation, before it moved
    enrollment_id: Mapped[int | None] = mapped_column(ForeignKey("track_enrollments.id"), index=True)
    track_id: Mapped[str | None] = mapped_column(String(80))  # None: the lead was in no track this stay
    graduated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    criteria: Mapped[dict] = mapped_column(Json)  # what held: criteria confirmed, roles, conditions
    playbook_version_id: Mapped[int] = mapped_column(ForeignKey("playbook_versions.id"))
    # The history package as the rep got it, frozen at graduation (None: graduated before migration 0028).
    package: Mapped[dict | None] = mapped_column(Json)


class AccountSuggestion(Base):
    """An ambiguous lead-to-account match kept for a person to decide, never guessed."""

    __tablename__ = "account_suggestions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    similarity: Mapped[int] = mapped_column(Integer)


class ImportChunk(Base):
    """One committed slice of an import file; re-runs skip the chunks already here."""

    __tablename__ = "import_chunks"
    __table_args__ = (UniqueConstraint("file_hash", "chunk_no"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    file_hash: Mapped[str] = mapped_column(String(64))
    chunk_no: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(500))
    result: Mapped[dict] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WebForm(Base):
    """A website form allowed to post leads without a token, identified by its public key."""

    __tablename__ = "web_forms"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(80))
    campaign: Mapped[str | None] = mapped_column(String(200))
    redirect_url: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
