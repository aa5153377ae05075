"""The go-to-market metrics' SQL: narrow GROUP BY results that metrics/gtm.py turns into reports.

Every query runs on SQLite and PostgreSQL, and none reads the event log. The funnel, lead quality
and rejections read the lead milestones and speed the offer speeds (metrics/milestones.py), through
indexes that hand SQLite its groups in order; SLA compliance and bookings read covering indexes of
`offers` and the revenue tables. Durations come back as histograms (group, step, bucket of a tenth
of a unit, count), never one row per lead, so medians and percentiles are read from a few thousand
rows whatever the number of leads.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from revteam.leads.models import Activity, Campaign, Lead
from revteam.metrics.milestones import FUNNEL_STEPS, STEP_BIT, LeadMilestones, OfferSpeed
from revteam.metrics.sql import flag, is_time, month_of
from revteam.periods import Month, Period, midnight
from revteam.revenue.models import Opportunity, SubscriptionDay
from revteam.routing import sla
from revteam.routing.models import Offer, OfferOutcome, was_accepted
from revteam.users.models import Pod, Team, User

VISIT, SIGN_UPS = "page_visit", ("sign_up", "signup")


def _within(period: Period, column) -> list:
    """Conditions keeping a time or date column inside the period."""
    conditions = []
    if period.start is not None:
        conditions.append(column >= (midnight(period.start) if is_time(column) else period.start))
    if period.end is not None:
        conditions.append(column < (midnight(period.end) if is_time(column) else period.end))
    return conditions


def in_cohorts(period: Period, column) -> list:
    """Conditions keeping a 'YYYY-MM' cohort column inside the period."""
    conditions = [column >= str(period.first)] if period.first else []
    return conditions + ([column <= str(period.last)] if period.last else [])


def _rows(session: Session, query) -> list[tuple]:
    """All rows as plain tuples, fetched at once on the session's connection (no ORM row processing)."""
    return [tuple(row) for row in session.connection().execute(query).all()]


def _of_leads(column, leads: ColumnElement[bool] | None) -> list:
    """A condition keeping a lead id column to the leads `leads` selects (a condition on `Lead`); none for None."""
    return [] if leads is None else [column.in_(select(Lead.id).where(leads))]


def _reached(step: str):
    return flag(LeadMilestones.reached.op("&")(STEP_BIT[step]) != 0)


def funnel_rows(session: Session, period: Period) -> list[tuple[str, str, int, int]]:
    """(cohort month, step, bucket, leads): step 'reached' counts leads by the steps they reached
    (bits of FUNNEL_STEPS in the bucket); the other steps count leads by tenths of days the step took.
    Each part reads one index of lead_milestones in order."""
    m = LeadMilestones
    in_period = in_cohorts(period, m.cohort)
    parts = [select(m.cohort, literal("reached"), m.reached, func.count()).where(*in_period)
             .group_by(m.cohort, m.reached)]
    for step in FUNNEL_STEPS:
        took = m.__table__.c[f"to_{step}"]
        parts.append(select(m.cohort, literal(step), took, func.count()).where(took.is_not(None), *in_period)
                     .group_by(m.cohort, took))
    return _rows(session, union_all(*parts))


def reached_rows(session: Session, period: Period, by: str, seen: ColumnElement[bool] | None) -> list[tuple]:
    """(cohort or source, steps reached as bits, leads) of the period's cohorts, of the leads `seen`
    selects (a condition on `Lead`; None for every lead)."""
    m = LeadMilestones
    group = m.__table__.c[by]
    query = select(group, m.reached, func.count()).where(*in_cohorts(period, m.cohort))
    if seen is not None:
        query = query.join(Lead, Lead.id == m.lead_id).where(seen)
    return _rows(session, query.group_by(group, m.reached))


SPEED_MEASURES = ("accept_due", "accept_met", "touch_due", "touch_met")


def speed_measure(measure: str, now: datetime) -> ColumnElement[bool]:
    """The offers a speed-to-lead count counts: whose accept or first-touch SLA can be judged, or was met."""
    return {"accept_due": sla.accept_due(now), "accept_met": sla.accept_met(),
            "touch_due": sla.touch_due(now), "touch_met": sla.touch_met()}[measure]


def team_reps(team: str):
    """The ids of the users of the team of this name ('no team': of none), as rep_names names them."""
    return select(User.id).outerjoin(Team, Team.id == User.team_id).where(func.coalesce(Team.name, "no team") == team)


def group_reps(by: str, name: str) -> Select:
    """The ids of the members of a scorecard group: a rep (by e-mail), a team or a pod (by name)."""
    if by == "rep":
        return select(User.id).where(User.email == name)
    if by == "team":
        return select(User.id).join(Team, Team.id == User.team_id).where(Team.name == name)
    return select(User.id).join(Pod, Pod.id == User.pod_id).where(Pod.name == name)


ACCEPTANCE_MEASURES = ("decided", "accepted")


def acceptance_measure(measure: str) -> ColumnElement[bool]:
    """The offers the acceptance rate counts: those the rep decided (accepted, rejected or let expire), or
    accepted (one a manager later withdrew included, `was_accepted`)."""
    if measure == "accepted":
        return was_accepted()
    return or_(was_accepted(), Offer.outcome.in_((OfferOutcome.rejected.value, OfferOutcome.expired.value)))


def measured_offers(period: Period, measure: str, now: datetime, reps=None) -> list[ColumnElement[bool]]:
    """Conditions on `Offer`: the offers of the period one speed (SPEED_MEASURES) or acceptance
    (ACCEPTANCE_MEASURES) count counts, made to the reps `reps` selects (ids; None for every rep)."""
    measured = acceptance_measure(measure) if measure in ACCEPTANCE_MEASURES else speed_measure(measure, now)
    return [*_within(period, Offer.offered_at), measured, *([Offer.rep_id.in_(reps)] if reps is not None else [])]


def speed_offers(period: Period, team: str, measure: str, now: datetime) -> list[ColumnElement[bool]]:
    """Conditions on `Offer`: the offers one speed figure of a team counts (what speed_counts sums)."""
    return measured_offers(period, measure, now, team_reps(team))


def acceptance_counts(session: Session, period: Period, reps=None) -> tuple[int, int]:
    """(offers decided, offers accepted) of the offers made in the period to the reps `reps` selects."""
    decided = select(func.count(), func.sum(flag(acceptance_measure("accepted"))))
    offers, accepted = session.execute(decided.where(*measured_offers(period, "decided", None, reps))).one()
    return int(offers), int(accepted or 0)


def speed_counts(session: Session, period: Period, now: datetime, seen: ColumnElement[bool] | None = None) -> list[tuple]:
    """Per rep id: offers, accept-SLA due and met, first-touch-SLA due and met; of the offers on the
    leads `seen` selects (a condition on `Lead`; None for every lead)."""
    query = (select(Offer.rep_id, func.count(), *(func.sum(flag(speed_measure(m, now))) for m in SPEED_MEASURES))
             .where(*_within(period, Offer.offered_at)).group_by(Offer.rep_id))
    if seen is not None:
        query = query.join(Lead, Lead.id == Offer.lead_id).where(seen)
    return _rows(session, query)


def speed_histograms(session: Session, period: Period) -> list[tuple[int, str, int, int]]:
    """(rep id, 'accept' | 'touch', bucket of tenths of hours since MQL, offers) for accepted
    first-step offers; a lead with no MQL time counts from its creation. Reads offer_speed's indexes."""
    parts = []
    for step in ("accept", "touch"):
        bucket = OfferSpeed.__table__.c[f"{step}_tenths"]
        parts.append(select(OfferSpeed.rep_id, literal(step), bucket, func.count())
                     .where(bucket.is_not(None), *_within(period, OfferSpeed.offered_at))
                     .group_by(OfferSpeed.rep_id, bucket))
    return _rows(session, union_all(*parts))


def rep_names(session: Session) -> dict[int, tuple[str, str]]:
    """Each user's e-mail and team name ('no team' when none)."""
    query = select(User.id, User.email, func.coalesce(Team.name, "no team")).outerjoin(Team, Team.id == User.team_id)
    return {user_id: (email, team) for user_id, email, team in session.execute(query)}


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


def _deal_mrr(first: bool):
    """A won deal's subscription MRR at its first change, or today: one primary-key lookup per deal."""
    days = SubscriptionDay.__table__.c
    if first:
        return (select(days.mrr_minor).where(days.subscription_id == Opportunity.subscription_id)
                .order_by(days.day).limit(1).scalar_subquery())
    return select(days.mrr_minor).where(days.subscription_id == Opportunity.subscription_id, days.until.is_(None)).scalar_subquery()


def _won_deals(session: Session, period: Period, leads: ColumnElement[bool] | None) -> list[tuple]:
    """(source, campaign id, amount, start MRR, MRR now) of each won deal on a lead of the period's cohorts
    (of the leads `leads` selects); driven from the won deals, a few thousand, never from a scan of every lead."""
    m = LeadMilestones
    query = (select(m.source, m.campaign_id, Opportunity.amount_minor, func.coalesce(_deal_mrr(first=True), 0),
                    func.coalesce(_deal_mrr(first=False), 0))
             .select_from(Opportunity).join(m, m.lead_id == Opportunity.lead_id)
             .where(Opportunity.stage == "won", *in_cohorts(period, m.cohort), *_of_leads(m.lead_id, leads)))
    return _rows(session, query)


def quality_rows(session: Session, period: Period, leads: ColumnElement[bool] | None = None) -> list[tuple]:
    """Per (source, campaign id): leads, accepted leads, accepted and rejected offers, disposed,
    won, revenue won, and the start and current MRR of the subscriptions the wins started (of the
    leads `leads` selects, a condition on `Lead`; None for every lead)."""
    m = LeadMilestones
    counted = (select(m.source, m.campaign_id, func.count(), func.sum(_reached("accepted")),
                      func.sum(m.offers_accepted), func.sum(m.offers_rejected), func.sum(m.disposed),
                      func.sum(_reached("won")))
               .where(*in_cohorts(period, m.cohort), *_of_leads(m.lead_id, leads)).group_by(m.source, m.campaign_id))
    won_money: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for source, campaign, *money in _won_deals(session, period, leads):
        won_money[source, campaign] = [kept + int(more) for kept, more in zip(won_money[source, campaign], money)]
    return [(source, campaign, *counts, *won_money[source, campaign])
            for source, campaign, *counts in _rows(session, counted)]


def campaign_names(session: Session) -> dict[int, str]:
    """Campaign id to name."""
    return dict(session.execute(select(Campaign.id, Campaign.name)).all())


def rejection_rows(session: Session, period: Period) -> list[tuple[str | None, str | None, int]]:
    """(source, reason code, rejections) of offers on leads created in the period."""
    m = LeadMilestones
    query = (select(m.source, Offer.reason_code, func.count())
             .select_from(Offer).join(m, m.lead_id == Offer.lead_id)
             .where(Offer.outcome == OfferOutcome.rejected.value, *in_cohorts(period, m.cohort))
             .group_by(m.source, Offer.reason_code))
    return _rows(session, query)


def _won_by_another_rep(lead=Lead) -> list:
    """Conditions on a lead's milestones, the lead and its opportunity (outer joined): rejected, then won
    by a rep who had not rejected it."""
    m = LeadMilestones
    winner = func.coalesce(Opportunity.owner_id, lead.owner_id)
    refused_by_winner = (select(Offer.id).where(Offer.lead_id == lead.id, Offer.rep_id == winner,
                                               Offer.outcome == OfferOutcome.rejected.value).exists())
    return [m.offers_rejected > 0, _reached("won") == 1, lead.state == "won", winner.is_not(None), ~refused_by_winner]


def fair_game_rows(session: Session, period: Period,
                   leads: ColumnElement[bool] | None = None) -> list[tuple[str | None, int, int, int]]:
    """Per source: rejected leads, of them later won by a rep who had not rejected them, and their revenue."""
    m = LeadMilestones
    scope = [*in_cohorts(period, m.cohort), *_of_leads(m.lead_id, leads)]
    rejected = select(m.source, func.count()).where(m.offers_rejected > 0, *scope).group_by(m.source)
    won_elsewhere = (select(m.source, func.count(), func.coalesce(func.sum(Opportunity.amount_minor), 0))
                     .select_from(m).join(Lead, Lead.id == m.lead_id).outerjoin(Opportunity, Opportunity.lead_id == Lead.id)
                     .where(*_won_by_another_rep(), *scope)
                     .group_by(m.source))
    won = {source: (count, revenue) for source, count, revenue in session.execute(won_elsewhere)}
    return [(source, count, *won.get(source, (0, 0))) for source, count in session.execute(rejected)]


def fair_game_leads(which: str) -> ColumnElement[bool]:
    """Leads (a condition on `Lead`) the fair-game figure counts: 'rejected' (rejected at least once) or
    'won' (then won by a rep who had not rejected it); for the lists its figures link to."""
    m = LeadMilestones
    if which == "rejected":
        return Lead.id.in_(select(m.lead_id).where(m.offers_rejected > 0))
    inner = aliased(Lead)
    return Lead.id.in_(select(m.lead_id).select_from(m).join(inner, inner.id == m.lead_id)
                       .outerjoin(Opportunity, Opportunity.lead_id == inner.id).where(*_won_by_another_rep(inner)))


def booking_rows(session: Session, period: Period,
                 leads: ColumnElement[bool] | None = None) -> list[tuple[str, int, int, int, int]]:
    """Per month won: bookings, contract value, MRR booked (at start) and MRR realized (today)."""
    dialect = session.get_bind().dialect.name
    s = _subscription_mrr()
    month = month_of(dialect, Opportunity.closed_on)
    query = (select(month, func.count(), func.sum(Opportunity.amount_minor),
                    func.coalesce(func.sum(s.c.start_mrr), 0), func.coalesce(func.sum(s.c.mrr_now), 0))
             .select_from(Opportunity).outerjoin(s, s.c.subscription_id == Opportunity.subscription_id)
             .where(Opportunity.stage == "won", *_within(period, Opportunity.closed_on),
                    *_of_leads(Opportunity.lead_id, leads)).group_by(month))
    return _rows(session, query)


def _stopped():
    """Subquery: each subscription's first day at MRR 0 (it stopped paying)."""
    return (select(SubscriptionDay.subscription_id.label("subscription_id"), func.min(SubscriptionDay.day).label("day"))
            .where(SubscriptionDay.mrr_minor == 0).group_by(SubscriptionDay.subscription_id).subquery("stopped"))


def churned_bookings(session: Session, period: Period, leads: ColumnElement[bool] | None = None) -> list[tuple]:
    """(closed_on, subscription start day, first day at MRR 0, MRR booked) of won deals whose subscription stopped."""
    s, stopped = _subscription_mrr(), _stopped()
    query = (select(Opportunity.closed_on, s.c.start_day, stopped.c.day, s.c.start_mrr)
             .select_from(Opportunity).join(s, s.c.subscription_id == Opportunity.subscription_id)
             .join(stopped, stopped.c.subscription_id == Opportunity.subscription_id)
             .where(Opportunity.stage == "won", *_within(period, Opportunity.closed_on),
                    *_of_leads(Opportunity.lead_id, leads)))
    return _rows(session, query)


def won_subscriptions(session: Session, period: Period, leads: ColumnElement[bool] | None = None) -> list[tuple]:
    """(account id, subscription start day, first day at MRR 0 or None) of the deals won in the period that
    started a subscription (of the leads `leads` selects)."""
    s, stopped = _subscription_mrr(), _stopped()
    query = (select(Opportunity.account_id, s.c.start_day, stopped.c.day)
             .select_from(Opportunity).join(s, s.c.subscription_id == Opportunity.subscription_id)
             .outerjoin(stopped, stopped.c.subscription_id == Opportunity.subscription_id)
             .where(Opportunity.stage == "won", Opportunity.account_id.is_not(None),
                    *_within(period, Opportunity.closed_on), *_of_leads(Opportunity.lead_id, leads)))
    return _rows(session, query)


def _months(first: datetime, stop: datetime) -> Iterator[tuple[datetime, datetime]]:
    """(start, stop) of each calendar month from first's until stop, the first and last cut to them."""
    month = Month.of(first)
    while midnight(month.start) < stop:
        yield max(midnight(month.start), first), min(midnight(month.end), stop)
        month = month.next()


def _activity_span(session: Session, types: list[str], period: Period) -> tuple[datetime, datetime] | None:
    """[first, stop) holding every activity of these types in the period; None when there are none.
    min() and max() per type: SQLite answers each from one end of the index."""
    ends = [(session.scalar(select(func.min(Activity.at)).where(Activity.type == kind)),
             session.scalar(select(func.max(Activity.at)).where(Activity.type == kind))) for kind in types]
    found = [(first, last) for first, last in ends if first is not None]
    if not found:
        return None
    earliest = midnight(period.start) if period.start else datetime.min.replace(tzinfo=UTC)
    latest = midnight(period.end) if period.end else datetime.max.replace(tzinfo=UTC)
    first = max(min(first for first, _ in found), earliest)
    stop = min(max(last for _, last in found) + timedelta(microseconds=1), latest)
    return (first, stop) if first < stop else None


def traffic_by_month(session: Session, period: Period) -> dict[str, dict[str, int]]:
    """Per month: page visits and sign-ups (activities of those types; sign-ups only when imported).
    One indexed range count per month: grouping a million visits by month would sort them all."""
    traffic: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, types in (("visits", [VISIT]), ("signups", list(SIGN_UPS))):
        span = _activity_span(session, types, period)
        for start, stop in _months(*span) if span else ():
            found = session.scalar(select(func.count()).where(Activity.type.in_(types), Activity.at >= start,
                                                              Activity.at < stop))
            if found:
                traffic[str(Month.of(start))][kind] = found
    return traffic
