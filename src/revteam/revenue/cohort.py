"""The retention cohort as SQL over the `subscription_days` rollup: which accounts were paying before a
period, could churn in it, and were lost or shrank. metrics/queries.py sums it for the retention
figures; revenue/customers.py lists its accounts for the lists those figures link to.

A `subscription_days` row is in force from `day` until the day before `until`, so a snapshot is a
filter. A period starts on a month's first day and ends on a month's last day, so a renewal
anniversary (first date + k x term months, day clamped into its month) falls inside it exactly when
its month does: eligibility is integer month arithmetic (the definitions: metrics/retention.py).
"""

from datetime import date, timedelta

from sqlalchemy import and_, case, func, literal, or_, select, true

from revteam.revenue.models import SubscriptionDay
from revteam.revenue.rollups import month_index


def in_force(day: date):
    return and_(SubscriptionDay.day <= day, or_(SubscriptionDay.until.is_(None), SubscriptionDay.until > day))


def _eligible(start: date, end: date):
    """1 if a subscription is monthly or has a renewal anniversary in [start, end], else 0."""
    term = SubscriptionDay.term_months
    months_to_start = literal(month_index(start)) - SubscriptionDay.first_month
    months_to_end = literal(month_index(end)) - SubscriptionDay.first_month
    # The first anniversary on or after start is number max(1, ceil(months_to_start / term));
    # months_to_start >= 1 here (the subscription is live before start), so the division is exact floor.
    first_due = case((months_to_start <= term, 1), else_=(months_to_start + term - 1) // term)
    return case((term == 1, 1), (first_due * term <= months_to_end, 1), else_=0)


def cohort_standing(start: date, end: date):
    """Subquery, one row per cohort account (paying on the eve of start): `account_id`, start `mrr`,
    start `seats`, `eligible` (1 if it could churn in the period) and `end_mrr`."""
    eve = start - timedelta(days=1)
    live_at_start = and_(in_force(eve), SubscriptionDay.mrr_minor > 0)
    start_mrr = func.sum(case((live_at_start, SubscriptionDay.mrr_minor), else_=0))
    return (
        select(SubscriptionDay.account_id, start_mrr.label("mrr"),
               func.sum(case((live_at_start, SubscriptionDay.seats), else_=0)).label("seats"),
               func.max(case((live_at_start, _eligible(start, end)), else_=0)).label("eligible"),
               func.sum(case((in_force(end), SubscriptionDay.mrr_minor), else_=0)).label("end_mrr"))
        .where(or_(in_force(eve), in_force(end)))
        .group_by(SubscriptionDay.account_id).having(start_mrr > 0).subquery()
    )


COHORT_OUTCOMES = {
    "lost": "paying nothing at the period's end (logo and revenue churn count these)",
    "shrank": "paying less at the period's end than at its start: lost or contracted (gross revenue churn)",
}


def outcome_holds(per_account, outcome: str | None):
    """A condition on a cohort_standing row: it had this outcome of COHORT_OUTCOMES (None: any)."""
    if outcome == "lost":
        return per_account.c.end_mrr == 0
    if outcome == "shrank":
        return per_account.c.end_mrr < per_account.c.mrr
    return true()


def cohort_members(start: date, end: date, *, outcome: str | None = None, eligible: bool = False):
    """The ids of the cohort accounts the retention figures count: all, or those with an outcome of
    COHORT_OUTCOMES, of every cohort account or of those who could churn (`eligible`)."""
    per_account = cohort_standing(start, end)
    conditions = [outcome_holds(per_account, outcome)] + ([per_account.c.eligible == 1] if eligible else [])
    return select(per_account.c.account_id).where(*conditions)
