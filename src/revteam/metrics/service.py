"""Revenue metrics from the database, in the exact shape of metrics/retention.revenue_report."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.metrics import queries
from revteam.metrics.retention import ChurnRates, CohortCounts, LogoChurn, Retention, _rate
from revteam.periods import Period
from revteam.revenue import movements
from revteam.revenue.models import SubscriptionChange
from revteam.revenue.rollups import month_index

WHY_THEY_DIFFER = (
    "naive churn divides by every customer; honest churn only by those who could leave in the period "
    "(monthly, or up for renewal): annual contracts that cannot churn yet hide churn in the naive rate"
)


def revenue_report(session: Session, period: Period) -> dict:
    """The `metrics revenue` JSON: MRR movements per month and cohort retention, by SQL aggregates."""
    movements.period_bounds(period)  # an open period is refused before any query
    queries.tune_for_aggregates(session)
    return {
        "period": period.written(),
        "months": [month.as_dict() for month in monthly_movements(session, period)],
        "retention": retention(session, period).as_dict(),
    }


def monthly_movements(session: Session, period: Period) -> list[movements.MonthMovements]:
    """Movements, MRR and paying customers at the end of each month (movements.monthly_movements)."""
    start, end = movements.period_bounds(period)
    mrr, customers = queries.opening_book(session, start)
    by_index = queries.month_tallies(session, start, end)
    tallies = {str(month): Counter(by_index.get(month_index(month.start), {})) for month in period.months()}
    return movements._close_months(tallies, mrr, customers)


def retention(session: Session, period: Period) -> Retention:
    """NRR, GRR and naive/eligible churn of the cohort paying before the period (retention.retention)."""
    start, end = movements.period_bounds(period)
    t = queries.cohort_totals(session, start, end)
    return Retention(
        customers_start=t["customers"],
        mrr_start=t["mrr_start"],
        nrr=_rate(t["mrr_end"], t["mrr_start"]),
        grr=_rate(t["mrr_capped"], t["mrr_start"]),
        logo_churn=LogoChurn(naive=_rate(t["lost"], t["customers"]),
                             eligible=_rate(t["eligible_lost"], t["eligible"]), eligible_customers=t["eligible"]),
        revenue_churn=ChurnRates(naive=_rate(t["lost_mrr"], t["mrr_start"]),
                                 eligible=_rate(t["eligible_lost_mrr"], t["eligible_mrr"])),
        gross_revenue_churn=ChurnRates(naive=_rate(t["mrr_start"] - t["mrr_capped"], t["mrr_start"]),
                                       eligible=_rate(t["eligible_mrr"] - t["eligible_mrr_capped"], t["eligible_mrr"])),
        seat_churn=ChurnRates(naive=_rate(t["lost_seats"], t["seats"]),
                              eligible=_rate(t["eligible_lost_seats"], t["eligible_seats"])),
        accounts=CohortCounts(lost=t["lost"], eligible_lost=t["eligible_lost"], shrank=t["shrank"],
                              eligible_shrank=t["eligible_shrank"]),
    )


def recorded_changes(session: Session) -> list[movements.SubscriptionChange]:
    """Every stored change as the pure module's rows, in the order they were written (the reference path)."""
    columns = SubscriptionChange.__table__.c
    query = select(columns.account_id, columns.subscription_id, columns.date, columns.mrr_minor, columns.seats,
                   columns.term_months).order_by(columns.date, columns.id)
    return [movements.SubscriptionChange(account, str(subscription), day, mrr, seats, term)
            for account, subscription, day, mrr, seats, term in session.execute(query)]
