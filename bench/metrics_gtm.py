"""How fast the go-to-market metrics answer: `python bench/metrics_gtm.py --db URL [--size medium]`.

On an empty database the demo company is built first (`revteam demo --size SIZE --no-serve`).
Prints the demo's size, the raw ceiling of this machine and database (one bare count of every
lead and every event), then the best of --runs timings of each `revteam metrics` command over the
whole history, on the SQL path the command uses.
"""

import argparse
import subprocess
import sys
import time

from sqlalchemy import func, select, text

from revteam.db.migrate import upgrade
from revteam.db.session import get_engine, session_scope
from revteam.events.models import Event
from revteam.leads.models import Lead
from revteam.metrics import gtm
from revteam.periods import Period
from revteam.routing.models import Offer
from revteam.accounts.models import Account


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _size(session) -> dict[str, int]:
    return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Account, Lead, Event, Offer)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (sqlite:///... or postgresql://...)")
    parser.add_argument("--size", default="medium", help="demo size to build when the database is empty")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (the best is reported)")
    args = parser.parse_args()
    engine = get_engine(args.db)
    upgrade(engine)  # adds the metric indexes (0005) to a demo built before them
    with session_scope(engine) as session:
        empty = session.scalar(select(Lead.id).limit(1)) is None
    if empty:
        subprocess.run([sys.executable, "-m", "revteam", "demo", "--size", args.size, "--no-serve", "--db", args.db],
                       check=True)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))  # what autovacuum does: index-only scans need it
    with session_scope(engine) as session:
        size = _size(session)
        print(f"{engine.dialect.name}: " + ", ".join(f"{count:,} {name}" for name, count in size.items()))
        ceiling = _timed(lambda: (session.scalar(select(func.count()).select_from(Lead)),
                                  session.scalar(select(func.count()).select_from(Event))))
        print(f"raw ceiling: count every lead and every event {ceiling * 1000:8.0f} ms")
    for name, report in gtm.REPORTS.items():
        best = min(_timed(lambda: _run(engine, report)) for _ in range(args.runs))
        print(f"metrics {name:<10} (whole history): {best * 1000:8.0f} ms")


def _run(engine, report) -> None:
    with session_scope(engine) as session:
        report(session, Period())


if __name__ == "__main__":
    sys.exit(main())
