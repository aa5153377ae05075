"""The go-to-market metrics' SQL: narrow GROUP BY results that metrics/gtm.py turns into reports.

Every query runs on SQLite and PostgreSQL and reads lead columns, the `offers` table and the
revenue tables; of the event log only `lead.qualified` is read, through a covering index. Durations
come back as histograms (group, step, bucket of a tenth of a unit, count), never one row per lead,
so medians and percentiles are read from a few thousand rows whatever the number of leads.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import Date, Integer, and_, case, cast, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from revteam.errors import BadInput
from revteam.events.models import Event
from revteam.leads.models import Activity, Campaign, Lead
from revteam.revenue.models import Opportunity, SubscriptionDay
from revteam.revenue.movements import parse_month
from revteam.routing.models import Offer, OfferOutcome, Stage
from revteam.users.models import Team, User

ACCEPTED_STATES = ("accepted", "won", "lost", "not_a_lead")
DISPOSED_STATES = ("won", "lost", "not_a_lead")
QUALIFIED = "lead.qualified"
FUNNEL_STEPS = ("mql", "accepted", "opportunity", "won")
VISIT, SIGN_UPS = "page_visit", ("sign_up", "signup")


@dataclass(frozen=True)
class Period:
    """Months first..last (both included, 'YYYY-MM'); None leaves that end open."""

    first: str | None = None
    last: str | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.stop is not None and self.stop <= self.start:
            raise BadInput(f"{self.first} is after {self.last}", where="period")

    @property
    def start(self) -> datetime | None:
        return datetime.combine(parse_month(self.first), datetime.min.time(), UTC) if self.first else None

    @property
    def stop(self) -> datetime | None:
        if not self.last:
            return None
        return datetime.combine(parse_month(self.last) + relativedelta(months=1), datetime.min.time(), UTC)

    def where(self, column) -> list:
        """Conditions keeping `column` inside the period."""
        conditions = []
        if self.start is not None:
            conditions.append(column >= (self.start if _is_time(column) else self.start.date()))
        if self.stop is not None:
            conditions.append(column < (self.stop if _is_time(column) else self.stop.date()))
        return conditions


def _is_time(column) -> bool:
    return not isinstance(column.type, Date)


def month_of(dialect: str, column):
    """'YYYY-MM' of a UTC timestamp or date column, in SQL."""
    if dialect == "postgresql":
        timestamp = func.timezone("UTC", column) if _is_time(column) else column
        return func.to_char(timestamp, "YYYY-MM")
    return func.substr(column, 1, 7)  # SQLite keeps UTC times and dates as ISO text


def days_between(dialect: str, start, end):
    """Days (fractional) from start to end, timestamps or dates, in SQL."""
    if dialect == "postgresql":
        return (func.extract("epoch", end) - func.extract("epoch", start)) / 86400.0
    return func.julianday(end) - func.julianday(start)


def tenths(dialect: str, amount):
    """The bucket of a non-negative amount: whole tenths, rounded down (negative amounts count as 0)."""
    # The nudge keeps a float like 6369.9999999 (637 h from julianday) in bucket 6370.
    nudged = amount * 10 + 1e-6
    scaled = func.floor(nudged) if dialect == "postgresql" else nudged
    return case((amount < 0, 0), else_=cast(scaled, Integer))


def qualified_at():
    """Subquery: when each lead first became an MQL (index-only on ix_events_type_subject_at)."""
    return (select(Event.subject_id.label("lead_id"), func.min(Event.at).label("at"))
            .where(Event.type == QUALIFIED).group_by(Event.subject_id).subquery("qualified"))


def accepted_at():
    """Subquery: when each lead was first accepted by a rep."""
    return (select(Offer.lead_id.label("lead_id"), func.min(Offer.decided_at).label("at"))
            .where(Offer.outcome == OfferOutcome.accepted.value).group_by(Offer.lead_id).subquery("accepted"))


def _flag(condition):
    return case((condition, 1), else_=0)


def funnel_rows(session: Session, period: Period) -> list[tuple[str, str, int, int]]:
    """(cohort month, step, bucket, leads): step 'reached' counts leads by the steps they reached
    (bits of FUNNEL_STEPS in the bucket); the other steps count leads by tenths of days the step took."""
    dialect = session.get_bind().dialect.name
    q, a = qualified_at(), accepted_at()
    mql_time = func.coalesce(q.c.at, case((Lead.is_mql.is_(True), Lead.created_at)))
    won = or_(Lead.state == "won", Opportunity.stage == "won")
    opportunity = or_(Opportunity.id.is_not(None), won)
    accepted = or_(a.c.at.is_not(None), Lead.state.in_(ACCEPTED_STATES), opportunity)
    mql = or_(Lead.is_mql.is_(True), q.c.at.is_not(None), accepted)
    closed_won = case((Opportunity.stage == "won", Opportunity.closed_on))
    timeline = (
        select(month_of(dialect, Lead.created_at).label("cohort"), _flag(mql).label("mql"),
               _flag(accepted).label("accepted"), _flag(opportunity).label("opportunity"), _flag(won).label("won"),
               days_between(dialect, Lead.created_at, mql_time).label("to_mql"),
               days_between(dialect, mql_time, a.c.at).label("to_accepted"),
               days_between(dialect, a.c.at, Opportunity.created_at).label("to_opportunity"),
               days_between(dialect, Opportunity.created_at, closed_won).label("to_won"))
        .select_from(Lead).outerjoin(q, q.c.lead_id == Lead.id).outerjoin(a, a.c.lead_id == Lead.id)
        .outerjoin(Opportunity, Opportunity.lead_id == Lead.id).where(*period.where(Lead.created_at))
        .cte("timeline")
    )
    t = timeline.c
    # One scan counts every step: the bucket of the "reached" row is the lead's steps as bits.
    reached = t.mql + 2 * t.accepted + 4 * t.opportunity + 8 * t.won
    parts = [select(t.cohort, literal("reached"), reached, func.count()).group_by(t.cohort, reached)]
    for step in FUNNEL_STEPS:
        bucket = tenths(dialect, t[f"to_{step}"])
        parts.append(select(t.cohort, literal(step), bucket, func.count())
                     .where(t[f"to_{step}"].is_not(None), t[step] == 1).group_by(t.cohort, bucket))
    return [tuple(row) for row in session.execute(union_all(*parts))]


def _hours(dialect: str, start, end):
    return days_between(dialect, start, end) * 24


def speed_counts(session: Session, period: Period, now: datetime) -> list[tuple]:
    """Per rep (id, email, team): offers, accept-SLA due and met, first-touch-SLA due and met."""
    decided = Offer.outcome.in_([OfferOutcome.accepted.value, OfferOutcome.rejected.value])
    accept_due = or_(decided, Offer.outcome == OfferOutcome.expired.value,
                     and_(Offer.outcome == OfferOutcome.open.value, Offer.accept_by < now))
    touch_due = and_(Offer.first_touch_by.is_not(None),
                     or_(Offer.touched_at.is_not(None), Offer.first_touch_by < now))
    query = (
        select(Offer.rep_id, func.count(), func.sum(_flag(accept_due)),
               func.sum(_flag(and_(decided, Offer.decided_at <= Offer.accept_by))),
               func.sum(_flag(touch_due)), func.sum(_flag(and_(touch_due, Offer.touched_at <= Offer.first_touch_by))))
        .where(*period.where(Offer.offered_at)).group_by(Offer.rep_id)
    )
    return [tuple(row) for row in session.execute(query)]


def speed_histograms(session: Session, period: Period) -> list[tuple[int, str, int, int]]:
    """(rep id, 'accept' | 'touch', bucket of tenths of hours since MQL, offers) for accepted
    first-step offers; a lead with no MQL time counts from its creation."""
    dialect = session.get_bind().dialect.name
    q = qualified_at()
    since = func.coalesce(q.c.at, Lead.created_at)
    timeline = (
        select(Offer.rep_id.label("rep_id"), _hours(dialect, since, Offer.decided_at).label("accept"),
               _hours(dialect, since, Offer.touched_at).label("touch"))
        .select_from(Offer).join(Lead, Lead.id == Offer.lead_id).outerjoin(q, q.c.lead_id == Lead.id)
        .where(Offer.outcome == OfferOutcome.accepted.value, Offer.stage == Stage.sdr.value,
               *period.where(Offer.offered_at))
        .cte("speed")
    )
    t = timeline.c
    parts = []
    for step in ("accept", "touch"):
        bucket = tenths(dialect, t[step])
        parts.append(select(t.rep_id, literal(step), bucket, func.count())
                     .where(t[step].is_not(None)).group_by(t.rep_id, bucket))
    return [tuple(row) for row in session.execute(union_all(*parts))]


def rep_names(session: Session) -> dict[int, tuple[str, str]]:
    """Each user's e-mail and team name ('no team' when none)."""
    query = select(User.id, User.email, func.coalesce(Team.name, "no team")).outerjoin(Team, Team.id == User.team_id)
    return {user_id: (email, team) for user_id, email, team in session.execute(query)}


def _offer_decisions():
    accepted = _flag(Offer.outcome == OfferOutcome.accepted.value)
    rejected = _flag(Offer.outcome == OfferOutcome.rejected.value)
    return (select(Offer.lead_id.label("lead_id"), func.sum(accepted).label("accepted"),
                   func.sum(rejected).label("rejected")).group_by(Offer.lead_id).subquery("decisions"))


def _subscription_mrr():
    """Subquery: each subscription's MRR at its first change and today (its last change)."""
    first_day = (select(SubscriptionDay.subscription_id.label("subscription_id"), func.min(SubscriptionDay.day).label("day"))
                 .group_by(SubscriptionDay.subscription_id).subquery("first_day"))
    first, last = SubscriptionDay.__table__.alias("first_row"), SubscriptionDay.__table__.alias("last_row")
    return (select(first.c.subscription_id, first.c.day.label("start_day"), first.c.mrr_minor.label("start_mrr"),
                   last.c.mrr_minor.label("mrr_now"))
            .select_from(first_day)
            .join(first, and_(first.c.subscription_id == first_day.c.subscription_id, first.c.day == first_day.c.day))
            .join(last, and_(last.c.subscription_id == first_day.c.subscription_id, last.c.until.is_(None)))
            .subquery("subscription_mrr"))


def quality_rows(session: Session, period: Period) -> list[tuple]:
    """Per (source, campaign id): leads, accepted leads, accepted and rejected offers, disposed,
    won, revenue won, and the start and current MRR of the subscriptions the wins started."""
    d, a, s = _offer_decisions(), accepted_at(), _subscription_mrr()
    won = or_(Lead.state == "won", Opportunity.stage == "won")
    accepted = or_(a.c.at.is_not(None), Lead.state.in_(ACCEPTED_STATES), Opportunity.id.is_not(None))
    won_value = case((Opportunity.stage == "won", Opportunity.amount_minor), else_=0)
    query = (
        select(Lead.source, Lead.campaign_id, func.count(), func.sum(_flag(accepted)),
               func.coalesce(func.sum(d.c.accepted), 0), func.coalesce(func.sum(d.c.rejected), 0),
               func.sum(_flag(Lead.state.in_(DISPOSED_STATES))), func.sum(_flag(won)),
               func.coalesce(func.sum(won_value), 0),
               func.coalesce(func.sum(case((Opportunity.stage == "won", s.c.start_mrr))), 0),
               func.coalesce(func.sum(case((Opportunity.stage == "won", s.c.mrr_now))), 0))
        .select_from(Lead).outerjoin(d, d.c.lead_id == Lead.id).outerjoin(a, a.c.lead_id == Lead.id)
        .outerjoin(Opportunity, Opportunity.lead_id == Lead.id)
        .outerjoin(s, s.c.subscription_id == Opportunity.subscription_id)
        .where(*period.where(Lead.created_at)).group_by(Lead.source, Lead.campaign_id)
    )
    return [tuple(row) for row in session.execute(query)]


def campaign_names(session: Session) -> dict[int, str]:
    """Campaign id to name."""
    return dict(session.execute(select(Campaign.id, Campaign.name)).all())


def rejection_rows(session: Session, period: Period) -> list[tuple[str | None, str | None, int]]:
    """(source, reason code, rejections) of offers on leads created in the period."""
    query = (select(Lead.source, Offer.reason_code, func.count())
             .join(Lead, Lead.id == Offer.lead_id)
             .where(Offer.outcome == OfferOutcome.rejected.value, *period.where(Lead.created_at))
             .group_by(Lead.source, Offer.reason_code))
    return [tuple(row) for row in session.execute(query)]


def fair_game_rows(session: Session, period: Period) -> list[tuple[str | None, int, int, int]]:
    """Per source: rejected leads, of them later won by a rep who had not rejected them, and their revenue."""
    rejecters = (select(Offer.lead_id.label("lead_id"), Offer.rep_id.label("rep_id"))
                 .where(Offer.outcome == OfferOutcome.rejected.value).distinct().subquery("rejecters"))
    winner = func.coalesce(Opportunity.owner_id, Lead.owner_id)
    refused_by_winner = (select(rejecters.c.lead_id).where(rejecters.c.lead_id == Lead.id,
                                                           rejecters.c.rep_id == winner).exists())
    won_elsewhere = and_(Lead.state == "won", winner.is_not(None), ~refused_by_winner)
    rejected_leads = select(rejecters.c.lead_id).distinct().subquery("rejected_leads")
    query = (
        select(Lead.source, func.count(), func.sum(_flag(won_elsewhere)),
               func.coalesce(func.sum(case((won_elsewhere, Opportunity.amount_minor))), 0))
        .select_from(rejected_leads).join(Lead, Lead.id == rejected_leads.c.lead_id)
        .outerjoin(Opportunity, Opportunity.lead_id == Lead.id)
        .where(*period.where(Lead.created_at)).group_by(Lead.source)
    )
    return [tuple(row) for row in session.execute(query)]


def booking_rows(session: Session, period: Period) -> list[tuple[str, int, int, int, int]]:
    """Per month won: bookings, contract value, MRR booked (at start) and MRR realized (today)."""
    dialect = session.get_bind().dialect.name
    s = _subscription_mrr()
    month = month_of(dialect, Opportunity.closed_on)
    query = (select(month, func.count(), func.sum(Opportunity.amount_minor),
                    func.coalesce(func.sum(s.c.start_mrr), 0), func.coalesce(func.sum(s.c.mrr_now), 0))
             .select_from(Opportunity).outerjoin(s, s.c.subscription_id == Opportunity.subscription_id)
             .where(Opportunity.stage == "won", *period.where(Opportunity.closed_on)).group_by(month))
    return [tuple(row) for row in session.execute(query)]


def churned_bookings(session: Session, period: Period) -> list[tuple]:
    """(closed_on, subscription start day, first day at MRR 0, MRR booked) of won deals whose subscription stopped."""
    s = _subscription_mrr()
    stopped = (select(SubscriptionDay.subscription_id.label("subscription_id"), func.min(SubscriptionDay.day).label("day"))
               .where(SubscriptionDay.mrr_minor == 0).group_by(SubscriptionDay.subscription_id).subquery("stopped"))
    query = (select(Opportunity.closed_on, s.c.start_day, stopped.c.day, s.c.start_mrr)
             .select_from(Opportunity).join(s, s.c.subscription_id == Opportunity.subscription_id)
             .join(stopped, stopped.c.subscription_id == Opportunity.subscription_id)
             .where(Opportunity.stage == "won", *period.where(Opportunity.closed_on)))
    return [tuple(row) for row in session.execute(query)]


def traffic_by_month(session: Session, period: Period) -> dict[str, dict[str, int]]:
    """Per month: page visits and sign-ups (activities of those types; sign-ups only when imported)."""
    dialect = session.get_bind().dialect.name
    month = month_of(dialect, Activity.at)
    kind = case((Activity.type == VISIT, "visits"), else_="signups")
    query = (select(month, kind, func.count()).where(Activity.type.in_([VISIT, *SIGN_UPS]), *period.where(Activity.at))
             .group_by(month, kind))
    traffic: dict[str, dict[str, int]] = defaultdict(dict)
    for found, name, count in session.execute(query):
        traffic[found][name] = count
    return traffic
