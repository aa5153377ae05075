"""The customers list: every account that has had a subscription, as the viewer may see it (the one
policy, `leads/access.py`), with its MRR, plans, next renewal and latest health, filtered and sorted,
read in keyset pages. The page, the retention drill-downs and an export read the same rows.

- MRR, seats and plans: of the subscriptions in force today that pay (MRR > 0). A customer paying
  nothing today is churned.
- Renewal: the earliest next anniversary (first date + k x term months, k >= 1, after today) of its
  paying subscriptions (`queries.next_renewal`); in SQL by month arithmetic, so it sorts and filters.
- Health: the latest health check (success and happiness apart, the at-risk flag); none if never checked.
- Cohort: the retention figures' accounts (`revenue/cohort.py`): paying before `cohort`'s first month,
  all of them or those lost or shrunk by its end, of every one or of those who could churn.
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, Select, and_, case, extract, func, literal, or_, select, true
from sqlalchemy.orm import Session, aliased

from revteam.accounts.models import Account
from revteam.errors import BadInput
from revteam.leads.access import visible_accounts
from revteam.periods import Period
from revteam.revenue.cohort import cohort_members, in_force
from revteam.revenue.models import HealthCheck, Subscription, SubscriptionChange, SubscriptionDay
from revteam.revenue.movements import period_bounds
from revteam.revenue.queries import next_renewal
from revteam.revenue.rollups import month_index
from revteam.users.models import User

Sort = Literal["mrr", "name", "renewal"]
Status = Literal["paying", "churned", "all"]
Outcome = Literal["lost", "shrank"]
NO_RENEWAL = 10**6  # sorts churned customers (no renewal) after every month index
PAGE_SIZE = 100


@dataclass(frozen=True)
class CustomerFilters:
    """What the list selects and how it is ordered."""

    status: Status = "paying"
    plan: str | None = None
    at_risk: bool | None = None
    renews_by: date | None = None  # the next renewal falls in this day's month or earlier
    cohort: Period | None = None
    outcome: Outcome | None = None  # with cohort: lost or shrank by its end
    eligible: bool = False  # with cohort: only the accounts that could churn in it
    sort: Sort = "mrr"
    among: tuple[ColumnElement[bool], ...] = ()  # other domains' conditions on Account (a scorecard figure's)

    def __post_init__(self) -> None:
        if (self.outcome or self.eligible) and self.cohort is None:
            raise BadInput("outcome and eligible need a cohort period (cohort_from and cohort_to)", where="cohort")


    def as_query(self) -> dict[str, str]:
        """The list's query string for these filters (what a link to them carries), defaults left out."""
        written = {"status": self.status if self.status != "paying" else None, "plan": self.plan,
                   "at_risk": None if self.at_risk is None else str(self.at_risk).lower(),
                   "renews_by": self.renews_by and self.renews_by.isoformat(),
                   "cohort_from": self.cohort and str(self.cohort.first),
                   "cohort_to": self.cohort and str(self.cohort.last), "outcome": self.outcome,
                   "eligible": "true" if self.eligible else None, "sort": self.sort if self.sort != "mrr" else None}
        return {name: value for name, value in written.items() if value}


# The retention figures' customers: (outcome, eligible) of the cohort (revenue/cohort.py).
RETENTION_FIGURES = {"cohort": (None, False), "eligible": (None, True), "lost": ("lost", False),
                     "eligible_lost": ("lost", True), "shrank": ("shrank", False), "eligible_shrank": ("shrank", True)}


def retention_filters(period: Period) -> dict[str, CustomerFilters]:
    """Per retention figure, the filter of the customers it counts (churned ones included)."""
    return {name: CustomerFilters(status="all", cohort=period, outcome=outcome, eligible=eligible)
            for name, (outcome, eligible) in RETENTION_FIGURES.items()}


def _renewal_month(today: date, first_days):
    """A subscription's next renewal as a month index: the first anniversary after today."""
    term, first = SubscriptionDay.term_months, SubscriptionDay.first_month
    months = literal(month_index(today)) - first
    # This month's anniversary falls on the first day's date, or on the month's last day if shorter.
    last_day_of_month = (today + timedelta(days=1)).day == 1
    passed = literal(True) if last_day_of_month else extract("day", first_days.c.first_date) <= today.day
    this_month = and_(months > 0, months % term == 0, ~passed)
    return first + case((this_month, months), else_=(months // term + 1) * term)


def _standing(today: date):
    """Subquery: per account with a subscription started by today, its paying MRR, seats and next renewal."""
    first_days = (select(SubscriptionChange.subscription_id, func.min(SubscriptionChange.date).label("first_date"))
                  .group_by(SubscriptionChange.subscription_id).subquery())
    paying = SubscriptionDay.mrr_minor > 0
    return (
        select(SubscriptionDay.account_id,
               func.coalesce(func.sum(case((paying, SubscriptionDay.mrr_minor), else_=0)), 0).label("mrr"),
               func.coalesce(func.sum(case((paying, SubscriptionDay.seats), else_=0)), 0).label("seats"),
               func.coalesce(func.min(case((paying, _renewal_month(today, first_days)))), NO_RENEWAL).label("renewal"))
        .join(first_days, first_days.c.subscription_id == SubscriptionDay.subscription_id)
        .where(in_force(today)).group_by(SubscriptionDay.account_id).subquery()
    )


def _latest_health():
    """Each account's latest health check (by recorded time, then id), and how it joins an account: the
    account's own newest row by its index, read only for the accounts the list reaches (ranking every
    check of every account read them all for each page)."""
    health = aliased(HealthCheck)
    latest = (select(HealthCheck.id).where(HealthCheck.account_id == Account.id)
              .order_by(HealthCheck.recorded_at.desc(), HealthCheck.id.desc()).limit(1)
              .correlate(Account).scalar_subquery())
    return health, health.id == latest


def _seen(session: Session, viewer: User) -> ColumnElement[bool]:
    """The customers the viewer may see, each checked through its own leads: customers are few beside the
    leads that make them visible (a manager's team sees some 40,000 leads on `medium` and 1,310 customers;
    reading every one of those leads for their accounts cost 2-3 times as much)."""
    return visible_accounts(session, viewer, Account.id, few=True)


def _conditions(session: Session, viewer: User | None, filters: CustomerFilters, standing, health, today: date):
    conditions = [_seen(session, viewer)] if viewer is not None else []
    conditions += filters.among
    if filters.status != "all":
        conditions.append(standing.c.mrr > 0 if filters.status == "paying" else standing.c.mrr == 0)
    if filters.plan:
        conditions.append(Account.id.in_(
            select(SubscriptionDay.account_id).join(Subscription, Subscription.id == SubscriptionDay.subscription_id)
            .where(in_force(today), SubscriptionDay.mrr_minor > 0, Subscription.plan == filters.plan)))
    if filters.at_risk is not None:
        conditions.append(health.at_risk.is_(filters.at_risk))
    if filters.renews_by:
        conditions.append(standing.c.renewal <= month_index(filters.renews_by))
    if filters.cohort:
        start, end = period_bounds(filters.cohort)
        conditions.append(Account.id.in_(cohort_members(start, end, outcome=filters.outcome,
                                                        eligible=filters.eligible)))
    return conditions


_SORTS = {"mrr": ("mrr", True), "name": ("name", False), "renewal": ("renewal", False)}


def _query(session: Session, viewer: User | None, filters: CustomerFilters, today: date) -> tuple[Select, object]:
    standing, (health, latest) = _standing(today), _latest_health()
    query = (select(Account.id, Account.name, Account.domain, standing.c.mrr, standing.c.seats, standing.c.renewal,
                    health.success_score, health.happiness_score, health.at_risk, health.risk, health.recorded_at)
             .join(standing, standing.c.account_id == Account.id)
             .outerjoin(health, latest)
             .where(*_conditions(session, viewer, filters, standing, health, today)))
    column, _ = _SORTS[filters.sort]
    return query, standing.c[column] if column != "name" else Account.name


def _after(key, descending: bool, after: tuple):
    """Rows strictly after the cursor (sort value, account id) in the list's order."""
    value, account_id = after
    beyond = key < value if descending else key > value
    return or_(beyond, and_(key == value, Account.id > account_id))


def parse_cursor(text: str | None, sort: Sort) -> tuple | None:
    """The `after` cursor a next-page link carries: '<sort value>~<account id>'; BadInput if unreadable."""
    if not text:
        return None
    value, _, account_id = text.rpartition("~")
    try:
        return (value if sort == "name" else int(value), int(account_id))
    except ValueError:
        raise BadInput(f"{text!r} is not a page cursor of this list (follow the next-page link)", where="after") from None


def _cursor(row: dict, sort: Sort) -> str:
    value = {"mrr": row["mrr_minor"], "name": row["name"], "renewal": row["renewal_month"]}[sort]
    return f"{value}~{row['account_id']}"


def customer_page(session: Session, *, viewer: User | None, filters: CustomerFilters, today: date,
                  after: tuple | None = None, limit: int = PAGE_SIZE) -> dict:
    """One page of customers after the cursor, the whole count the filter selects and the next cursor."""
    query, key = _query(session, viewer, filters, today)
    descending = _SORTS[filters.sort][1]
    order = (key.desc() if descending else key.asc(), Account.id)
    if after is None:
        # Every row is read and sorted for the first page anyway (the sort is on an aggregate): a window
        # counts them in the same query, where a second query computed every account's standing again.
        found = session.execute(query.add_columns(func.count().over().label("total")).order_by(*order)
                                .limit(limit + 1)).all()
        total = found[0].total if found else 0
    else:
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        found = session.execute(query.where(_after(key, descending, after)).order_by(*order).limit(limit + 1)).all()
    rows = _described(session, [_row(found_row) for found_row in found[:limit]], today)
    following = _cursor(rows[-1], filters.sort) if len(found) > limit else None
    return {"rows": rows, "total": total, "next": following}


def customer_rows(session: Session, *, viewer: User | None, filters: CustomerFilters,
                  today: date) -> Iterator[dict]:
    """Every customer the filter selects for the viewer (None: the operator, who sees all), in order,
    read a page at a time: what an export writes."""
    after = None
    while True:
        page = customer_page(session, viewer=viewer, filters=filters, today=today, after=after)
        yield from page["rows"]
        if page["next"] is None:
            return
        after = parse_cursor(page["next"], filters.sort)


CUSTOMER_COLUMNS = ("account_id", "name", "domain", "mrr", "seats", "plans", "renewal_date", "success", "happiness",
                    "at_risk", "risk", "health_at")
# The names `--filter` takes (revteam/list_filters.py), with the types their values must fit.
CUSTOMER_FILTERS = {"status": Status, "plan": str | None, "at_risk": bool | None, "renews_by": date | None, "sort": Sort}


def export_rows(rows: Iterator[dict]) -> Iterator[dict]:
    """Customer rows as an export writes them: MRR in major units, plans joined."""
    for row in rows:
        yield row | {"mrr": f"{row['mrr_minor'] / 100:.2f}", "plans": "; ".join(row["plans"])}


def customer_count(session: Session, *, viewer: User | None, filters: CustomerFilters, today: date) -> int:
    """How many customers the filter selects for the viewer: the figure a link to the list shows."""
    query, _ = _query(session, viewer, replace(filters, sort="mrr"), today)
    return session.scalar(select(func.count()).select_from(query.subquery()))


def customer_counts(session: Session, *, viewer: User | None, filters: dict[str, CustomerFilters],
                    today: date) -> dict[str, int]:
    """`customer_count` of each named filter, in one query: the standing, the latest health and the
    accounts the viewer may see are read once for them all (a manager sees the accounts of some
    40,000 leads on `medium`: asked filter by filter, the dashboard's six links read them six times)."""
    standing, (health, latest) = _standing(today), _latest_health()
    selects = [and_(true(), *_conditions(session, None, chosen, standing, health, today)) for chosen in filters.values()]
    query = (select(*(func.coalesce(func.sum(case((selected, 1), else_=0)), 0) for selected in selects))
             .select_from(Account).join(standing, standing.c.account_id == Account.id)
             .outerjoin(health, latest))
    if viewer is not None:
        query = query.where(_seen(session, viewer))
    return dict(zip(filters, map(int, session.execute(query).one())))


def _row(found) -> dict:
    return {"account_id": found.id, "name": found.name, "domain": found.domain, "mrr_minor": int(found.mrr),
            "seats": int(found.seats), "renewal_month": int(found.renewal),
            "success": found.success_score, "happiness": found.happiness_score, "at_risk": found.at_risk,
            "risk": found.risk, "health_at": found.recorded_at}


def _described(session: Session, rows: list[dict], today: date) -> list[dict]:
    """The page's rows with their paying plans and the renewal's day (the month the SQL sorted by)."""
    paying = session.execute(
        select(SubscriptionDay.account_id, Subscription.plan, func.min(SubscriptionChange.date), SubscriptionDay.term_months)
        .join(Subscription, Subscription.id == SubscriptionDay.subscription_id)
        .join(SubscriptionChange, SubscriptionChange.subscription_id == SubscriptionDay.subscription_id)
        .where(SubscriptionDay.account_id.in_([row["account_id"] for row in rows]), in_force(today),
               SubscriptionDay.mrr_minor > 0)
        .group_by(SubscriptionDay.account_id, SubscriptionDay.subscription_id, Subscription.plan,
                  SubscriptionDay.term_months)).all()
    plans: dict[int, set[str]] = {}
    renewals: dict[int, list[date]] = {}
    for account_id, plan, first_date, term in paying:
        plans.setdefault(account_id, set()).add(plan or "no plan")
        renewals.setdefault(account_id, []).append(next_renewal(first_date, term, today))
    for row in rows:
        row["plans"] = sorted(plans.get(row["account_id"], ()))
        row["renewal_date"] = min(renewals[row["account_id"]]) if row["account_id"] in renewals else None
    return rows
