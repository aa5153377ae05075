"""Lead milestones: one narrow row per lead saying how far it went and how long each step took.

The funnel, lead-quality and rejection reports group these rows instead of joining a million leads
to their events, offers and opportunities on every call. A row is derived from those records by
one SQL upsert (`_derive`), whether it is refreshed for the leads a transaction's events were about
(`refresh_touched`, which revteam/wiring.py registers with the event log to run before every
commit) or rebuilt for all leads (the demo, `revteam metrics rebuild`), so the two paths cannot
disagree. Migration 0006 carries a frozen copy of this derivation as SQL. Times count in whole
seconds.

Durations are whole tenths of a day, rounded down, 0 when the clock ran backwards; `reached` holds
the funnel steps as bits (MQL 1, accepted 2, opportunity 4, won 8), and a later step implies the
earlier ones, so conversions never exceed 100%. `offer_speed` does the same for speed to lead: one
row per accepted first-step (SDR) offer, with the tenths of hours from MQL to accept and to first
touch.
"""

from collections.abc import Callable, Collection, Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, Index, Integer, String, case, func, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from revteam.db.base import Base, BigId, UtcDateTime, partial_index
from revteam.db.batches import sorted_batches
from revteam.db.key_lists import among
from revteam.events.models import Event
from revteam.leads.models import Lead
from revteam.metrics.sql import flag, month_of, whole_units_between
from revteam.revenue.models import Opportunity
from revteam.routing.models import Offer, OfferOutcome, Stage, was_accepted

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
        # Partial: most leads never reach the later steps, and they cost those indexes nothing.
        *(partial_index(f"ix_lead_milestones_to_{step}", "cohort", f"to_{step}", where=f"to_{step} IS NOT NULL")
          for step in FUNNEL_STEPS),
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


def reached_in_cohort(step: str | None, cohort: str | None) -> ColumnElement[bool]:
    """Leads (a condition on `Lead`) created in the cohort month that reached the funnel step, whatever
    they are now: the funnel's definition, for the lists its figures link to."""
    conditions = [LeadMilestones.cohort == cohort] if cohort else []
    if step:
        conditions.append(LeadMilestones.reached.op("&")(STEP_BIT[step]) != 0)
    return Lead.id.in_(select(LeadMilestones.lead_id).where(*conditions))


def _offer_count(outcome: OfferOutcome):
    decided = was_accepted() if outcome == OfferOutcome.accepted else Offer.outcome == outcome.value
    return select(func.count()).where(Offer.lead_id == Lead.id, decided).scalar_subquery()


def _first_qualified(lead_id):
    return select(func.min(Event.at)).where(Event.type == QUALIFIED, Event.subject_id == lead_id).scalar_subquery()


def _materialized(query, name: str):
    # Each fact is looked up once per lead, however many derived columns read it.
    return query.cte(name).prefix_with("MATERIALIZED")


def _lead_facts(leads):
    """Everything the milestones of the leads `leads(Lead.id)` selects are derived from (indexed lookups only)."""
    accepted = (select(func.min(Offer.decided_at))
                .where(Offer.lead_id == Lead.id, was_accepted()).scalar_subquery())
    query = (
        select(Lead.id.label("lead_id"), Lead.created_at, Lead.state, Lead.is_mql, Lead.source, Lead.campaign_id,
               _first_qualified(Lead.id).label("qualified_at"), accepted.label("accepted_at"),
               Opportunity.id.label("opportunity_id"), Opportunity.created_at.label("opportunity_at"),
               Opportunity.stage, Opportunity.closed_on,
               _offer_count(OfferOutcome.accepted).label("offers_accepted"),
               _offer_count(OfferOutcome.rejected).label("offers_rejected"))
        .outerjoin(Opportunity, Opportunity.lead_id == Lead.id).where(leads(Lead.id))
    )
    return _materialized(query, "lead_facts")


def _milestones_select(dialect: str, leads):
    """The milestones rows of the leads `leads(Lead.id)` selects, derived in SQL."""
    f = _lead_facts(leads).c
    won = or_(f.state == "won", f.stage == "won")
    opportunity = or_(won, f.opportunity_id.is_not(None))
    accepted = or_(opportunity, f.accepted_at.is_not(None), f.state.in_(ACCEPTED_STATES))
    qualified_at = func.coalesce(f.qualified_at, case((f.is_mql.is_(True), f.created_at)))
    mql = or_(accepted, qualified_at.is_not(None))
    steps_done = zip(FUNNEL_STEPS, (mql, accepted, opportunity, won), strict=True)
    reached = sum(flag(done) * STEP_BIT[step] for step, done in steps_done)

    def days(start, end):
        return whole_units_between(dialect, start, end, TENTH_OF_DAY)

    return select(
        f.lead_id, month_of(dialect, f.created_at).label("cohort"), f.source, f.campaign_id, reached.label("reached"),
        case((mql, days(f.created_at, qualified_at))).label("to_mql"),
        case((accepted, days(qualified_at, f.accepted_at))).label("to_accepted"),
        case((opportunity, days(f.accepted_at, f.opportunity_at))).label("to_opportunity"),
        case((f.stage == "won", days(f.opportunity_at, f.closed_on))).label("to_won"),
        f.offers_accepted, f.offers_rejected, flag(f.state.in_(DISPOSED_STATES)).label("disposed"),
    ).where(true())  # SQLite needs a WHERE before an upsert's ON CONFLICT


def _speed_select(dialect: str, leads):
    """The offer_speed rows of the accepted first-step offers of the leads `leads(Offer.lead_id)` selects
    (on the offers' column, so their lead index drives the query): the clock starts at the lead's first
    MQL, else at its creation."""
    offers = _materialized(
        select(Offer.id.label("offer_id"), Offer.lead_id, Offer.rep_id, Offer.offered_at, Offer.decided_at,
               Offer.touched_at, func.coalesce(_first_qualified(Offer.lead_id), Lead.created_at).label("clock_from"))
        .join(Lead, Lead.id == Offer.lead_id)
        .where(was_accepted(), Offer.stage == Stage.sdr.value, leads(Offer.lead_id)),
        "accepted_offers")
    o = offers.c
    return select(
        o.offer_id, o.lead_id, o.rep_id, o.offered_at,
        whole_units_between(dialect, o.clock_from, o.decided_at, TENTH_OF_HOUR).label("accept_tenths"),
        whole_units_between(dialect, o.clock_from, o.touched_at, TENTH_OF_HOUR).label("touch_tenths"),
    ).where(true())


def _upsert(session: Session, model, rows) -> None:
    """Insert the rows a select derives, replacing those already there."""
    dialect = session.get_bind().dialect.name
    statement = (sqlite if dialect == "sqlite" else postgresql).insert(model.__table__)
    [key] = model.__table__.primary_key.columns.keys()
    columns = [column.name for column in model.__table__.columns]
    replaced = {column: statement.excluded[column] for column in columns if column != key}
    upsert = statement.from_select(columns, rows).on_conflict_do_update(index_elements=[key], set_=replaced)
    session.execute(upsert)


def _derive(session: Session, leads: Callable) -> None:
    """Upsert the milestones and offer speeds of the leads `leads(id column)` selects."""
    dialect = session.get_bind().dialect.name
    _upsert(session, LeadMilestones, _milestones_select(dialect, leads))
    # An accepted offer stays accepted, so its speed row is only ever added or updated.
    _upsert(session, OfferSpeed, _speed_select(dialect, leads))


def _one_of(session: Session, ids: list[int]) -> Callable:
    # Bound as one value: a statement per batch length would fill SQLite's statement cache.
    return lambda column: among(session, column, ids)


def _from_to(first: int, last: int) -> Callable:
    return lambda column: column.between(first, last)


def refresh_milestones(session: Session, lead_ids: Iterable[int]) -> None:
    """Re-derive the milestones of these leads in the caller's transaction."""
    for batch in sorted_batches(lead_ids, BATCH):
        _derive(session, _one_of(session, batch))


def refresh_touched(session: Session, subjects: Collection[tuple[str, int]]) -> None:
    """Re-derive the milestones of the leads these (subject_type, subject_id) event subjects are or
    are behind (their opportunities): the event log's before-commit read model."""
    leads = {subject_id for subject_type, subject_id in subjects if subject_type == "lead"}
    opportunities = [subject_id for subject_type, subject_id in subjects if subject_type == "opportunity"]
    refresh_milestones(session, leads | opportunity_leads(session, opportunities))


def rebuild_milestones(session: Session) -> int:
    """Re-derive every lead's milestones (after a bulk load or to repair); returns how many leads have them."""
    last = session.scalar(select(func.max(Lead.id))) or 0
    for first in range(1, last + 1, BATCH):
        _derive(session, _from_to(first, first + BATCH - 1))
    return session.scalar(select(func.count()).select_from(LeadMilestones))


def opportunity_leads(session: Session, opportunity_ids: Iterable[int]) -> set[int]:
    """The leads behind these opportunities."""
    ids = list(opportunity_ids)
    if not ids:
        return set()
    return set(session.scalars(select(Opportunity.lead_id).where(Opportunity.id.in_(ids))))
