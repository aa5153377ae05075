"""Lead milestones: one narrow row per lead saying how far it went and how long each step took.

The funnel, lead-quality and rejection reports group these rows instead of joining a million leads
to their events, offers and opportunities on every call. A row is derived from those records by
one function (`milestones_of`), whether it is refreshed for the leads a transaction touched
(events/projections.py, before every commit) or rebuilt for all leads (migration 0006, the demo,
`revteam metrics rebuild`), so the two paths cannot disagree.

Durations are whole tenths of a day, rounded down, 0 when the clock ran backwards; `reached` holds
the funnel steps as bits (MQL 1, accepted 2, opportunity 4, won 8), and a later step implies the
earlier ones, so conversions never exceed 100%. `offer_speed` does the same for speed to lead: one
row per accepted first-step (SDR) offer, with the tenths of hours from MQL to accept and to first
touch.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from itertools import islice

from sqlalchemy import ForeignKey, Index, Integer, String, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from revteam.db.base import Base, BigId, UtcDateTime
from revteam.events.models import Event
from revteam.leads.models import Lead
from revteam.revenue.models import Opportunity
from revteam.routing.models import Offer, OfferOutcome, Stage

FUNNEL_STEPS = ("mql", "accepted", "opportunity", "won")
STEP_BIT = {step: 1 << position for position, step in enumerate(FUNNEL_STEPS)}
ACCEPTED_STATES = ("accepted", "won", "lost", "not_a_lead")
DISPOSED_STATES = ("won", "lost", "not_a_lead")
QUALIFIED = "lead.qualified"
TENTH_OF_DAY, TENTH_OF_HOUR = 8640, 360  # seconds
BATCH = 2_000


class LeadMilestones(Base):
    __tablename__ = "lead_milestones"
    __table_args__ = (
        # One index per report slice, each read in index order (SQLite groups without sorting).
        Index("ix_lead_milestones_reached", "cohort", "reached"),
        *(Index(f"ix_lead_milestones_to_{step}", "cohort", f"to_{step}") for step in FUNNEL_STEPS),
        Index("ix_lead_milestones_quality", "source", "campaign_id", "cohort", "reached", "offers_accepted",
              "offers_rejected", "disposed"),
    )

    lead_id: Mapped[int] = mapped_column(BigId, ForeignKey("leads.id"), primary_key=True, autoincrement=False)
    cohort: Mapped[str] = mapped_column(String(7))  # YYYY-MM the lead was created, UTC
    source: Mapped[str | None] = mapped_column(String(80))
    campaign_id: Mapped[int | None] = mapped_column(BigId)
    reached: Mapped[int] = mapped_column(Integer)
    to_mql: Mapped[int | None] = mapped_column(Integer)
    to_accepted: Mapped[int | None] = mapped_column(Integer)
    to_opportunity: Mapped[int | None] = mapped_column(Integer)
    to_won: Mapped[int | None] = mapped_column(Integer)
    offers_accepted: Mapped[int] = mapped_column(Integer)
    offers_rejected: Mapped[int] = mapped_column(Integer)
    disposed: Mapped[int] = mapped_column(Integer)  # 1 when won, lost or not a lead


class OfferSpeed(Base):
    __tablename__ = "offer_speed"
    __table_args__ = tuple(Index(f"ix_offer_speed_{step}", "rep_id", f"{step}_tenths", "offered_at")
                           for step in ("accept", "touch"))

    offer_id: Mapped[int] = mapped_column(BigId, ForeignKey("offers.id"), primary_key=True, autoincrement=False)
    lead_id: Mapped[int] = mapped_column(BigId, index=True)
    rep_id: Mapped[int] = mapped_column(BigId)
    offered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    accept_tenths: Mapped[int | None] = mapped_column(Integer)  # tenths of hours from MQL to accept
    touch_tenths: Mapped[int | None] = mapped_column(Integer)  # ... and to first touch


def _offer_count(outcome: OfferOutcome):
    return (select(func.count()).where(Offer.lead_id == Lead.id, Offer.outcome == outcome.value)
            .scalar_subquery())


def _facts_query():
    """Everything a lead's milestones are derived from, one row per lead (indexed lookups only)."""
    qualified = (select(func.min(Event.at)).where(Event.type == QUALIFIED, Event.subject_id == Lead.id)
                 .scalar_subquery())
    accepted = (select(func.min(Offer.decided_at))
                .where(Offer.lead_id == Lead.id, Offer.outcome == OfferOutcome.accepted.value).scalar_subquery())
    return (
        select(Lead.id, Lead.created_at, Lead.state, Lead.is_mql, Lead.source, Lead.campaign_id,
               qualified.label("qualified_at"), accepted.label("accepted_at"),
               Opportunity.id.label("opportunity_id"), Opportunity.created_at.label("opportunity_at"),
               Opportunity.stage, Opportunity.closed_on,
               _offer_count(OfferOutcome.accepted).label("offers_accepted"),
               _offer_count(OfferOutcome.rejected).label("offers_rejected"))
        .outerjoin(Opportunity, Opportunity.lead_id == Lead.id)
    )


def _tenths(start: datetime | None, end: datetime | date | None, tenth: int) -> int | None:
    """Whole tenths (of `tenth` seconds) from start to end (a date counts from its midnight UTC), at least 0."""
    if start is None or end is None:
        return None
    if not isinstance(end, datetime):
        end = datetime.combine(end, time.min, UTC)
    return max(0, int((end - start).total_seconds() // tenth))


def tenths_of_days(start: datetime | None, end: datetime | date | None) -> int | None:
    return _tenths(start, end, TENTH_OF_DAY)


def _speed_query():
    """Accepted first-step offers with the moment their lead's speed clock started: its MQL, else its creation."""
    qualified = (select(func.min(Event.at)).where(Event.type == QUALIFIED, Event.subject_id == Offer.lead_id)
                 .scalar_subquery())
    return (select(Offer.id, Offer.lead_id, Offer.rep_id, Offer.offered_at, Offer.decided_at, Offer.touched_at,
                   func.coalesce(qualified, Lead.created_at).label("clock_from"))
            .join(Lead, Lead.id == Offer.lead_id)
            .where(Offer.outcome == OfferOutcome.accepted.value, Offer.stage == Stage.sdr.value))


def speed_of(offer) -> dict:
    """An offer_speed row from a row of `_speed_query`."""
    return {"offer_id": offer.id, "lead_id": offer.lead_id, "rep_id": offer.rep_id, "offered_at": offer.offered_at,
            "accept_tenths": _tenths(offer.clock_from, offer.decided_at, TENTH_OF_HOUR),
            "touch_tenths": _tenths(offer.clock_from, offer.touched_at, TENTH_OF_HOUR)}


def milestones_of(facts) -> dict:
    """A lead's milestones row from its facts (a row of `_facts_query`)."""
    won = facts.state == "won" or facts.stage == "won"
    opportunity = won or facts.opportunity_id is not None
    accepted = opportunity or facts.accepted_at is not None or facts.state in ACCEPTED_STATES
    qualified_at = facts.qualified_at or (facts.created_at if facts.is_mql else None)
    mql = accepted or qualified_at is not None
    reached = sum(STEP_BIT[step] for step, done in zip(FUNNEL_STEPS, (mql, accepted, opportunity, won)) if done)
    return {
        "lead_id": facts.id, "cohort": f"{facts.created_at:%Y-%m}", "source": facts.source,
        "campaign_id": facts.campaign_id, "reached": reached,
        "to_mql": tenths_of_days(facts.created_at, qualified_at) if mql else None,
        "to_accepted": tenths_of_days(qualified_at, facts.accepted_at) if accepted else None,
        "to_opportunity": tenths_of_days(facts.accepted_at, facts.opportunity_at) if opportunity else None,
        "to_won": tenths_of_days(facts.opportunity_at, facts.closed_on if facts.stage == "won" else None),
        "offers_accepted": facts.offers_accepted, "offers_rejected": facts.offers_rejected,
        "disposed": int(facts.state in DISPOSED_STATES),
    }


def _upsert(session: Session, model, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    statement = dialect.insert(model.__table__)
    [key] = model.__table__.primary_key.columns.keys()
    replaced = {column: statement.excluded[column] for column in rows[0] if column != key}
    session.execute(statement.on_conflict_do_update(index_elements=[key], set_=replaced), rows)


def _derive(session: Session, leads) -> int:
    """Upsert the milestones and offer speeds of the leads `leads` (a condition on Lead.id) selects."""
    facts = session.execute(_facts_query().where(leads)).all()
    _upsert(session, LeadMilestones, [milestones_of(row) for row in facts])
    # An accepted offer stays accepted, so its speed row is only ever added or updated.
    offers = session.execute(_speed_query().where(leads)).all()
    _upsert(session, OfferSpeed, [speed_of(row) for row in offers])
    return len(facts)


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = iter(sorted(set(ids)))
    while batch := list(islice(ordered, BATCH)):
        yield batch


def refresh_milestones(session: Session, lead_ids: Iterable[int]) -> None:
    """Re-derive the milestones of these leads in the caller's transaction."""
    for batch in _batches(lead_ids):
        _derive(session, Lead.id.in_(batch))


def rebuild_milestones(session: Session) -> int:
    """Re-derive every lead's milestones (after a bulk load or to repair); returns the leads seen."""
    done, last = 0, session.scalar(select(func.max(Lead.id))) or 0
    for first in range(1, last + 1, BATCH):
        done += _derive(session, Lead.id.between(first, first + BATCH - 1))
    return done


def opportunity_leads(session: Session, opportunity_ids: Iterable[int]) -> set[int]:
    """The leads behind these opportunities."""
    ids = list(opportunity_ids)
    if not ids:
        return set()
    return set(session.scalars(select(Opportunity.lead_id).where(Opportunity.id.in_(ids))))
