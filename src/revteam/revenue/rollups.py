"""Keeping `subscription_days` and `account_mrr_days` in step with `subscription_changes`.

Whoever writes change rows calls `refresh_accounts` in the same transaction; it rebuilds the
rollups of those accounts from their whole change history with the pure definitions of
revenue/movements.py, so the rollups can never tell a different story than the record.
On PostgreSQL the account rows are locked first: two writers on one account take turns.
"""

from collections.abc import Iterable
from datetime import date
from itertools import groupby

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account
from revteam.db.batches import sorted_batches
from revteam.revenue import movements
from revteam.revenue.models import AccountMrrDay, SubscriptionChange, SubscriptionDay

_IDS_PER_STATEMENT = 5_000


def month_index(day: date) -> int:
    """Months since year 0: consecutive months differ by one."""
    return day.year * 12 + day.month - 1


def month_label(index: int) -> str:
    """The 'YYYY-MM' of a month index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def refresh_accounts(session: Session, account_ids: Iterable[int]) -> None:
    """Rebuild the MRR rollups of these accounts from their subscription changes."""
    for chunk in sorted_batches(account_ids, _IDS_PER_STATEMENT):
        if session.get_bind().dialect.name == "postgresql":
            session.execute(select(Account.id).where(Account.id.in_(chunk)).order_by(Account.id).with_for_update())
        for table in (SubscriptionDay.__table__, AccountMrrDay.__table__):
            session.execute(delete(table).where(table.c.account_id.in_(chunk)))
        columns = SubscriptionChange.__table__.c
        query = (
            select(columns.account_id, columns.subscription_id, columns.date, columns.mrr_minor, columns.seats,
                   columns.term_months)
            .where(columns.account_id.in_(chunk)).order_by(columns.date, columns.id)
        )
        changes = [movements.SubscriptionChange(account, str(subscription), day, mrr, seats, term)
                   for account, subscription, day, mrr, seats, term in session.execute(query)]
        _insert(session, SubscriptionDay, subscription_days(changes))
        _insert(session, AccountMrrDay, account_mrr_days(changes))


def _insert(session: Session, model, rows: list[dict]) -> None:
    if rows:
        session.connection().execute(insert(model.__table__), rows)


def subscription_days(changes: list[movements.SubscriptionChange]) -> list[dict]:
    """Each subscription's end-of-day state per change day (last row of a day wins), valid until the next."""
    rows = []
    by_subscription = sorted(changes, key=lambda change: (change.account, change.subscription, change.date))
    for (account, subscription), rows_of_one in groupby(by_subscription, key=lambda c: (c.account, c.subscription)):
        days = [list(same_day)[-1] for _, same_day in groupby(rows_of_one, key=lambda change: change.date)]
        first = month_index(days[0].date)
        for index, change in enumerate(days):
            until = days[index + 1].date if index + 1 < len(days) else None
            rows.append({"subscription_id": int(subscription), "account_id": account, "day": change.date,
                         "until": until, "mrr_minor": change.mrr, "seats": change.seats,
                         "term_months": change.term_months, "first_month": first})
    return rows


def account_mrr_days(changes: list[movements.SubscriptionChange]) -> list[dict]:
    """Each account's movement on every day its total MRR changed, as movements.classify names it."""
    rows = []
    for account, series in movements.account_mrr_series(changes).items():
        previous, ever_had_mrr = 0, False
        for day, mrr in series:
            movement = movements.classify(previous, mrr, ever_had_mrr=ever_had_mrr)
            if movement:
                rows.append({"account_id": account, "day": day, "month": month_index(day), "mrr_minor": mrr,
                             "mrr_delta": mrr - previous, "kind": movement[0], "amount": movement[1],
                             "customers_delta": (mrr > 0) - (previous > 0)})
            ever_had_mrr = ever_had_mrr or mrr > 0
            previous = mrr
    return rows
