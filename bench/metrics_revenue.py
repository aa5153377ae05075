"""How fast `revteam metrics revenue` answers: `python bench/metrics_revenue.py --db URL [--accounts N]`.

If the database holds no subscription changes, a two-year history of N accounts is written
first through `import subscriptions` (monthly and annual contracts, expansions, contractions,
churn, reactivations). Prints the time of each period's report on the SQL path, and beside it
the raw ceiling of this machine and database - one bare scan of every change row - and the
pure path (load every change, replay it in Python) the rollups replace.
"""

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from revteam.db.migrate import upgrade
from revteam.db.session import get_engine, session_scope
from revteam.metrics import retention, service
from revteam.periods import Period
from revteam.playbook.versions import ensure_default
from revteam.revenue.importer import import_subscriptions
from revteam.revenue.models import SubscriptionChange

FIRST_DAY = date(2023, 7, 1)
DAYS = 730
PERIODS = (("2025-06", "2025-06"), ("2024-07", "2025-06"), ("2023-07", "2025-06"))


def _history(rng: random.Random, account: int) -> list[tuple]:
    """One account's rows: (account, subscription, date, mrr, seats, term)."""
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 30))
    term = rng.choice((1, 1, 12, 12, 24))
    seats = rng.randint(3, 80)
    price = rng.choice((2500, 4000, 6500))
    rows = [(account, "main", day, seats * price, seats, term)]
    while True:
        day += timedelta(days=rng.randint(60, 400))
        if day >= FIRST_DAY + timedelta(days=DAYS):
            return rows
        roll = rng.random()
        if roll < 0.12:
            rows.append((account, "main", day, 0, 0, term))
            if rng.random() < 0.8:
                return rows
        else:
            seats = max(1, round(seats * (rng.uniform(1.05, 1.5) if roll < 0.6 else rng.uniform(0.6, 0.95))))
            rows.append((account, "main", day, seats * price, seats, term))


def generate(engine, accounts: int) -> None:
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "subscriptions.csv"
        rows = sorted((row for account in range(accounts) for row in _history(rng, account)), key=lambda r: r[2])
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["account", "subscription", "date", "mrr", "seats", "term_months"])
            for account, key, day, mrr, seats, term in rows:
                writer.writerow([f"bench{account}.example", key, day.isoformat(), f"{mrr / 100:.2f}", seats, term])
        started = time.perf_counter()
        report = import_subscriptions(engine, path, actor="bench")
        seconds = time.perf_counter() - started
    print(f"generated {accounts:,} accounts: imported {report.landed:,} change rows in {seconds:.1f} s "
          f"({report.landed / seconds:,.0f} rows/s)")


def _timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (sqlite:///... or postgresql://...)")
    parser.add_argument("--accounts", type=int, default=100_000, help="accounts to generate when the db has none")
    parser.add_argument("--runs", type=int, default=3, help="runs per period (the best is reported)")
    args = parser.parse_args()
    engine = get_engine(args.db)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
        rows = session.scalar(select(func.count()).select_from(SubscriptionChange))
    if not rows:
        generate(engine, args.accounts)
    with session_scope(engine) as session:
        rows = session.scalar(select(func.count()).select_from(SubscriptionChange))
        accounts = session.scalar(select(func.count(func.distinct(SubscriptionChange.account_id))))
        print(f"{engine.dialect.name}: {accounts:,} accounts, {rows:,} subscription changes")
        scan, _ = _timed(lambda: session.execute(text("SELECT * FROM subscription_changes")).all())
        print(f"raw ceiling: one bare scan of every change row {scan * 1000:8.0f} ms")
        for first, last in PERIODS:
            period = Period.parse(first, last)
            best = min(_timed(lambda: service.revenue_report(session, period))[0] for _ in range(args.runs))
            print(f"metrics revenue --from {first} --to {last}: {best * 1000:8.0f} ms (SQL over rollups)")
        load, changes = _timed(lambda: service.recorded_changes(session))
        replay, _ = _timed(lambda: retention.revenue_report(changes, Period.parse(*PERIODS[1])))
        print(f"pure path for comparison: load {load * 1000:.0f} ms + replay {replay * 1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
