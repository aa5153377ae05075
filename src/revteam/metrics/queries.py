"""The revenue metrics as SQL aggregates over the rollups (same results as metrics/retention.py).

Why this equals the pure definitions:
- Monthly movements: `account_mrr_days` holds each account's classified movement per day, so a
  month is a GROUP BY; MRR and paying customers at the period's start are the sums of all
  earlier deltas (they telescope to each account's total on the eve of the period).
- Retention: sums over revenue/cohort.py's cohort standing (one row per cohort account), the very
  rows the customer lists behind the retention figures select.
"""

from datetime import date

from sqlalchemy import Integer, and_, case, func, select, text
from sqlalchemy.orm import Session

from revteam.revenue.cohort import cohort_standing, outcome_holds
from revteam.revenue.models import AccountMrrDay

KINDS = ("new", "expansion", "contraction", "churn", "reactivation")


def opening_book(session: Session, start: date) -> tuple[int, int]:
    """MRR and paying customers at the end of the day before `start`."""
    query = select(func.coalesce(func.sum(AccountMrrDay.mrr_delta), 0),
                   func.coalesce(func.sum(AccountMrrDay.customers_delta), 0)).where(AccountMrrDay.day < start)
    mrr, customers = session.execute(query).one()
    return int(mrr), int(customers)


def _movements_between(start: date, end: date):
    """The movement records a month's tallies count; comp reads the same rows (movement_records)."""
    return and_(AccountMrrDay.day >= start, AccountMrrDay.day <= end)


def movement_records(session: Session, start: date, end: date, kinds: tuple[str, ...]) -> list[AccountMrrDay]:
    """The movement rows of these kinds in [start, end], the very rows month_tallies sums."""
    query = (select(AccountMrrDay).where(_movements_between(start, end), AccountMrrDay.kind.in_(kinds))
             .order_by(AccountMrrDay.day, AccountMrrDay.account_id))
    return list(session.scalars(query))


def month_tallies(session: Session, start: date, end: date) -> dict[int, dict[str, int]]:
    """Per month index: the amount of each movement kind and the change in paying customers."""
    query = (
        select(AccountMrrDay.month, AccountMrrDay.kind, func.sum(AccountMrrDay.amount),
               func.sum(AccountMrrDay.customers_delta))
        .where(_movements_between(start, end))
        .group_by(AccountMrrDay.month, AccountMrrDay.kind)
    )
    tallies: dict[int, dict[str, int]] = {}
    for month, kind, amount, customers in session.execute(query):
        tally = tallies.setdefault(month, {"customers": 0})
        tally[kind] = int(amount)
        tally["customers"] += int(customers)
    return tallies


def tune_for_aggregates(session: Session) -> None:
    """On PostgreSQL: room to hash in memory (JIT is off on every connection, `db/session.py`)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL work_mem = '64MB'"))


def cohort_totals(session: Session, start: date, end: date) -> dict[str, int]:
    """Sums over the cohort (accounts paying on the eve of start) of MRR, seats and losses."""
    per_account = cohort_standing(start, end)
    mrr, seats, end_mrr = per_account.c.mrr, per_account.c.seats, per_account.c.end_mrr
    lost = case((outcome_holds(per_account, "lost"), 1), else_=0)
    shrank = case((outcome_holds(per_account, "shrank"), 1), else_=0)
    eligible = per_account.c.eligible.cast(Integer)
    capped = case((end_mrr < mrr, end_mrr), else_=mrr)
    sums = {
        "customers": func.count(), "mrr_start": mrr, "mrr_end": end_mrr,
        "mrr_capped": capped, "eligible_mrr_capped": eligible * capped,
        "lost": lost, "eligible": eligible, "eligible_lost": eligible * lost,
        "shrank": shrank, "eligible_shrank": eligible * shrank,
        "lost_mrr": lost * mrr, "eligible_mrr": eligible * mrr, "eligible_lost_mrr": eligible * lost * mrr,
        "seats": seats, "lost_seats": lost * seats, "eligible_seats": eligible * seats,
        "eligible_lost_seats": eligible * lost * seats,
    }
    columns = [value if name == "customers" else func.coalesce(func.sum(value), 0) for name, value in sums.items()]
    row = session.execute(select(*columns).select_from(per_account)).one()
    return {name: int(value) for name, value in zip(sums, row, strict=True)}
