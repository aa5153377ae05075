"""MRR movements per calendar month, from dated subscription change rows.

Definitions (SPEC sections 4-5):
- Money is integer minor units (cents) of one reporting currency; nothing here is a float.
- An account's MRR "at the end of day D" is the sum over its subscriptions of the MRR set by
  each subscription's latest change row with date <= D. Several rows for one subscription on
  one day: the last one in input order wins, so a day nets to one end-of-day value.
- A movement compares an account's total MRR at the end of the day before a change day with
  its total at the end of that day: `new` (the first MRR the account ever had), `reactivation`
  (from 0 after an earlier churn), `expansion`, `contraction`, `churn` (to 0). Amounts are
  positive. A day that leaves the total unchanged is no movement.
- A period runs from the first day of its first month to the last day of its last month,
  both months included. Changes before the period still count toward "ever had MRR".

This module is also the reference implementation for the SQL version of the same metrics.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from operator import attrgetter

from revteam.errors import BadInput
from revteam.periods import Month, Period

Account = str | int
MOVEMENT_KINDS = ("new", "expansion", "contraction", "churn", "reactivation")


@dataclass(frozen=True)
class SubscriptionChange:
    """One dated row of a subscription: its MRR, seats and term from that day on (MRR 0 ends it)."""

    account: Account
    subscription: str
    date: date
    mrr: int
    seats: int
    term_months: int

    def __post_init__(self) -> None:
        where = f"subscription {self.subscription!r} on {self.date}"
        if self.mrr < 0:
            raise BadInput(f"MRR must not be negative, got {self.mrr}", where=where)
        if self.seats < 0:
            raise BadInput(f"seats must not be negative, got {self.seats}", where=where)
        if self.term_months < 1:
            raise BadInput(f"term must be at least 1 month, got {self.term_months}", where=where)


@dataclass(frozen=True)
class MonthMovements:
    """One calendar month's movements (minor units) and the book at its start and end: start + new +
    expansion + reactivation - contraction - churn = end."""

    month: str
    mrr_start: int
    new: int
    expansion: int
    contraction: int
    churn: int
    reactivation: int
    mrr_end: int
    customers_end: int

    def as_dict(self) -> dict:
        """The month as a JSON-ready dict, in the report's key order."""
        return asdict(self)


def period_bounds(period: Period) -> tuple[date, date]:
    """First day of the period's first month and last day of its last month (BadInput if an end is open)."""
    months = period.months()
    return months[0].start, months[-1].end - timedelta(days=1)


def account_mrr_series(changes: Iterable[SubscriptionChange]) -> dict[Account, list[tuple[date, int]]]:
    """Each account's total MRR at the end of every day on which one of its subscriptions changed."""
    # The sort is stable (same-day rows keep input order) and linear on rows already in date
    # order, which is how the database hands them over; everything after it is one pass.
    subscription_mrr: dict[tuple[Account, str], int] = {}
    account_total: dict[Account, int] = defaultdict(int)
    series: dict[Account, list[tuple[date, int]]] = defaultdict(list)
    for change in sorted(changes, key=attrgetter("date")):
        key = (change.account, change.subscription)
        account_total[change.account] += change.mrr - subscription_mrr.get(key, 0)
        subscription_mrr[key] = change.mrr
        points = series[change.account]
        if points and points[-1][0] == change.date:
            points[-1] = (change.date, account_total[change.account])
        else:
            points.append((change.date, account_total[change.account]))
    return dict(series)


def classify(previous: int, current: int, *, ever_had_mrr: bool) -> tuple[str, int] | None:
    """The movement (kind, positive amount) from one end-of-day total to the next, or None."""
    if current == previous:
        return None
    if previous == 0:
        return ("reactivation" if ever_had_mrr else "new", current)
    if current == 0:
        return ("churn", previous)
    if current > previous:
        return ("expansion", current - previous)
    return ("contraction", previous - current)


def monthly_movements(changes: Iterable[SubscriptionChange], period: Period) -> list[MonthMovements]:
    """Movements, MRR and paying customers at the end of each month of the period."""
    start, end = period_bounds(period)
    tallies = {str(month): Counter() for month in period.months()}
    mrr_start = customers_start = 0
    for series in account_mrr_series(changes).values():
        opening = _tally_account(series, start, end, tallies)
        mrr_start += opening
        customers_start += opening > 0
    return _close_months(tallies, mrr_start, customers_start)


def _tally_account(series: list[tuple[date, int]], start: date, end: date, tallies: dict) -> int:
    """Add one account's movements inside [start, end] to the month tallies; return its MRR at start."""
    previous = opening = 0
    ever_had_mrr = False
    for day, mrr in series:
        if day > end:
            break
        if day < start:
            opening = mrr
        else:
            movement = classify(previous, mrr, ever_had_mrr=ever_had_mrr)
            if movement:
                tally = tallies[str(Month.of(day))]
                tally[movement[0]] += movement[1]
                tally["customers"] += (mrr > 0) - (previous > 0)
        ever_had_mrr = ever_had_mrr or mrr > 0
        previous = mrr
    return opening


def _close_months(tallies: dict[str, Counter], mrr: int, customers: int) -> list[MonthMovements]:
    """Turn month tallies into MonthMovements, carrying MRR and customers from month to month."""
    months = []
    for month, tally in tallies.items():
        mrr_start = mrr
        mrr += tally["new"] + tally["expansion"] + tally["reactivation"]
        mrr -= tally["contraction"] + tally["churn"]
        customers += tally["customers"]
        amounts = (tally[kind] for kind in MOVEMENT_KINDS)
        months.append(MonthMovements(month, mrr_start, *amounts, mrr_end=mrr, customers_end=customers))
    return months
