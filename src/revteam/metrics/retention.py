"""Revenue retention and churn over a period, the honest rate beside the naive one.

Definitions (SPEC section 5; money in integer minor units, rates as fractions rounded to 6
places, None when the denominator is zero):
- Start snapshot: the end of the day before the period's first day. End snapshot: the end of
  the period's last day. A subscription's MRR, seats and term at a snapshot come from its
  latest change row on or before it (same-day rows: the last in input order wins).
- Cohort: accounts with MRR > 0 at the start snapshot. Accounts that start paying during the
  period are not in it.
- `nrr` = cohort MRR at the end / cohort MRR at the start; `grr` the same with each account's
  end MRR capped at its start MRR, so expansion cannot hide contraction and churn.
- Lost customers: cohort accounts with MRR 0 at the end (an account that churns and comes back
  within the period is not lost). A lost account loses its whole start MRR and start seats
  (the MRR capped at start of an account at 0 is its start MRR). Contraction of accounts that
  stay is not churn here; it shows in `grr` and in gross revenue churn.
- Gross revenue churn ("gross MRR churn" in ChartMogul and Baremetrics): the start MRR the cohort
  lost to churn and contraction, (start MRR - each account's end MRR capped at its start) / start
  MRR, so expansion cannot offset it; naively over the whole cohort (1 - GRR) and over the eligible
  accounts.
- Start seats of an account: the seats of its subscriptions live (MRR > 0) at the start.
- Naive rate: lost / whole cohort (accounts, start MRR, or start seats).
- Eligible rate: lost eligible accounts / eligible accounts (accounts, start MRR, start seats
  of those accounts). An account is eligible - it could churn in the period - if any of its
  subscriptions live at the start is monthly (term 1) or has a renewal anniversary (the
  subscription's first change date + k x term months, k >= 1) within the period. Annual and
  multi-year contracts that are not up for renewal cannot churn, so the naive rate, which
  counts them in the denominator, flatters.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from revteam.periods import Period
from revteam.revenue.movements import Account, SubscriptionChange, monthly_movements, period_bounds

_PLACES = 6


@dataclass(frozen=True)
class LogoChurn:
    """Share of cohort accounts lost: naive, eligible, and how many accounts were eligible."""

    naive: float | None
    eligible: float | None
    eligible_customers: int


@dataclass(frozen=True)
class ChurnRates:
    """A churn rate over the whole cohort (naive) and over the accounts that could churn."""

    naive: float | None
    eligible: float | None


@dataclass(frozen=True)
class CohortCounts:
    """How many cohort accounts each churn figure counts: lost (paying nothing at the end) and shrank
    (paying less than at the start: lost or contracted), of all and of the eligible."""

    lost: int
    eligible_lost: int
    shrank: int
    eligible_shrank: int


CHURN_COUNTS = {
    "revenue_churn": "the start MRR of the cohort accounts lost (paying nothing at the end) over the cohort's "
                     "start MRR; contraction of accounts that stay is not in it",
    "gross_revenue_churn": "(start MRR - each cohort account's end MRR capped at its start) / start MRR: churn "
                           "plus contraction, expansion offsetting nothing; the naive rate is 1 - GRR",
}


@dataclass(frozen=True)
class Retention:
    """Cohort retention and churn over one period."""

    customers_start: int
    mrr_start: int
    nrr: float | None
    grr: float | None
    logo_churn: LogoChurn
    revenue_churn: ChurnRates
    gross_revenue_churn: ChurnRates
    seat_churn: ChurnRates
    accounts: CohortCounts

    def as_dict(self) -> dict:
        """The report's `retention` object, JSON-ready."""
        return {
            "customers_start": self.customers_start,
            "mrr_start": self.mrr_start,
            "nrr": self.nrr,
            "grr": self.grr,
            "logo_churn": {
                "naive": self.logo_churn.naive,
                "eligible": self.logo_churn.eligible,
                "eligible_customers": self.logo_churn.eligible_customers,
            },
            "revenue_churn": {"naive": self.revenue_churn.naive, "eligible": self.revenue_churn.eligible},
            "gross_revenue_churn": {"naive": self.gross_revenue_churn.naive,
                                    "eligible": self.gross_revenue_churn.eligible},
            "seat_churn": {"naive": self.seat_churn.naive, "eligible": self.seat_churn.eligible},
            "accounts": {"lost": self.accounts.lost, "eligible_lost": self.accounts.eligible_lost,
                         "shrank": self.accounts.shrank, "eligible_shrank": self.accounts.eligible_shrank},
            "what_they_count": CHURN_COUNTS,
        }


@dataclass(frozen=True)
class CohortAccount:
    """One cohort account's standing at the period's start and end."""

    start_mrr: int
    end_mrr: int
    start_seats: int
    eligible: bool

    @property
    def lost(self) -> bool:
        """True if the account pays nothing at the period's end."""
        return self.end_mrr == 0

    @property
    def shrank(self) -> bool:
        """True if the account pays less at the period's end than at its start (lost or contracted)."""
        return self.end_mrr < self.start_mrr


def renewal_due(first_date: date, term_months: int, start: date, end: date) -> bool:
    """True if an anniversary first_date + k*term months (k >= 1) falls within [start, end]."""
    # Each anniversary is counted from first_date, not from the previous one, so a month-end
    # start keeps its day where it can: Jan 31 -> Feb 29 -> Mar 31.
    months_before_start = (start.year - first_date.year) * 12 + start.month - first_date.month
    k = max(1, months_before_start // term_months)
    anniversary = first_date + relativedelta(months=k * term_months)
    while anniversary < start:
        k += 1
        anniversary = first_date + relativedelta(months=k * term_months)
    return anniversary <= end


def retention(changes: Iterable[SubscriptionChange], period: Period) -> Retention:
    """NRR, GRR and naive/eligible logo, revenue and seat churn of the cohort paying before the period."""
    start, end = period_bounds(period)
    cohort = list(cohort_accounts(changes, start, end).values())
    eligible = [account for account in cohort if account.eligible]
    mrr_start = sum(account.start_mrr for account in cohort)
    return Retention(
        customers_start=len(cohort),
        mrr_start=mrr_start,
        nrr=_rate(sum(account.end_mrr for account in cohort), mrr_start),
        grr=_rate(sum(min(account.end_mrr, account.start_mrr) for account in cohort), mrr_start),
        logo_churn=LogoChurn(
            naive=_churn(cohort, lambda account: 1),
            eligible=_churn(eligible, lambda account: 1),
            eligible_customers=len(eligible),
        ),
        revenue_churn=ChurnRates(
            naive=_churn(cohort, lambda account: account.start_mrr),
            eligible=_churn(eligible, lambda account: account.start_mrr),
        ),
        gross_revenue_churn=ChurnRates(naive=_gross_churn(cohort), eligible=_gross_churn(eligible)),
        seat_churn=ChurnRates(
            naive=_churn(cohort, lambda account: account.start_seats),
            eligible=_churn(eligible, lambda account: account.start_seats),
        ),
        accounts=CohortCounts(lost=sum(a.lost for a in cohort), eligible_lost=sum(a.lost for a in eligible),
                              shrank=sum(a.shrank for a in cohort), eligible_shrank=sum(a.shrank for a in eligible)),
    )


def revenue_report(changes: Iterable[SubscriptionChange], period: Period) -> dict:
    """The whole `metrics revenue` JSON object: period, months and retention."""
    changes = list(changes)
    return {
        "period": period.written(),
        "months": [month.as_dict() for month in monthly_movements(changes, period)],
        "retention": retention(changes, period).as_dict(),
    }


def cohort_accounts(
    changes: Iterable[SubscriptionChange], start: date, end: date
) -> dict[Account, CohortAccount]:
    """Every account paying at the end of the day before start, with its standing at start and end."""
    at_start, at_end, first_dates = _snapshots(changes, start - timedelta(days=1), end)
    start_mrr: dict[Account, int] = {}
    start_seats: dict[Account, int] = {}
    eligible: set[Account] = set()
    for key, row in at_start.items():
        if row.mrr == 0:
            continue
        start_mrr[row.account] = start_mrr.get(row.account, 0) + row.mrr
        start_seats[row.account] = start_seats.get(row.account, 0) + row.seats
        if row.term_months == 1 or renewal_due(first_dates[key], row.term_months, start, end):
            eligible.add(row.account)
    end_mrr: dict[Account, int] = {}
    for row in at_end.values():
        end_mrr[row.account] = end_mrr.get(row.account, 0) + row.mrr
    return {
        account: CohortAccount(mrr, end_mrr.get(account, 0), start_seats[account], account in eligible)
        for account, mrr in start_mrr.items()
    }


def _snapshots(changes: Iterable[SubscriptionChange], start_eve: date, end: date) -> tuple[dict, dict, dict]:
    """Each subscription's latest row on or before start_eve and on or before end, and its first date."""
    # One pass in any order: a row replaces the held one when it is not older, so among rows
    # of the same day the last in input order wins, as in movements.
    at_start: dict[tuple[Account, str], SubscriptionChange] = {}
    at_end: dict[tuple[Account, str], SubscriptionChange] = {}
    first_dates: dict[tuple[Account, str], date] = {}
    for row in changes:
        key = (row.account, row.subscription)
        first_dates[key] = min(row.date, first_dates.get(key, row.date))
        for snapshot, day in ((at_start, start_eve), (at_end, end)):
            held = snapshot.get(key)
            if row.date <= day and (held is None or row.date >= held.date):
                snapshot[key] = row
    return at_start, at_end, first_dates


def _churn(accounts: list[CohortAccount], weight) -> float | None:
    """Weighted share of the accounts that were lost."""
    return _rate(sum(weight(a) for a in accounts if a.lost), sum(weight(a) for a in accounts))


def _gross_churn(accounts: list[CohortAccount]) -> float | None:
    """Share of the accounts' start MRR lost to churn and contraction (expansion offsets nothing)."""
    start = sum(a.start_mrr for a in accounts)
    return _rate(start - sum(min(a.end_mrr, a.start_mrr) for a in accounts), start)


def _rate(part: int, whole: int) -> float | None:
    """part / whole rounded to 6 places; None when whole is zero."""
    return round(part / whole, _PLACES) if whole else None
