"""Benchmark: `import activities`, touches of known people (read, match, dedupe, write, re-score leads).

    python bench/import_activities.py --rows 1000000 [--people 50000] [--db URL]

Imports --people leads first (bench/import_leads.py's export), then writes an activities file of
--rows rows on them: the playbook's types and 5% a type it does not know, times over the last 60
days, a channel, a campaign on a third of them, 1% naming nobody. Prints the import's rows/s and a
re-run of the same file (which lands nothing). --db names an empty database (default: a fresh
SQLite file in a temp folder).
"""

import argparse
import csv
import os
import random
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from import_leads import prepare as prepare_leads
from revteam.accounts.models import Person
from revteam.db.base import utcnow
from revteam.db.session import get_engine, session_scope
from revteam.leads.intake.activity_import import import_activities
from revteam.leads.intake.importer import import_file
from revteam.playbook.versions import active

CHANNELS = ("email", "web", "webinar", "events", "sales")
CAMPAIGNS = ("Spring launch", "Winter webinar series", "Pricing page test", "Partner week")
UNKNOWN_TYPES = ("carrier_pigeon", "podcast_listen", "booth_scan")


def write_activities(path: Path, rows: int, emails: list[str], types: list[str], seed: int = 3) -> None:
    rng, now = random.Random(seed), utcnow()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["email", "type", "at", "channel", "campaign", "detail", "count"])
        for index in range(rows):
            roll = rng.random()
            email = f"nobody{index}@nowhere.example" if roll < 0.01 else rng.choice(emails)
            kind = rng.choice(UNKNOWN_TYPES) if roll > 0.95 else rng.choice(types)
            at = (now - timedelta(seconds=rng.randrange(60 * 86_400))).strftime("%Y-%m-%dT%H:%M:%SZ")
            campaign = rng.choice(CAMPAIGNS) if rng.random() < 0.33 else ""
            writer.writerow([email, kind, at, rng.choice(CHANNELS), campaign, f"item {index % 500}",
                             rng.choice(("", "", "", "2"))])


def prepare(db: str | None, people: int) -> tuple[str, Path]:
    """A migrated database holding `people` imported leads; its URL and the folder of the files."""
    url, leads, _ = prepare_leads(db, people)
    started = time.perf_counter()
    import_file(get_engine(url), leads)
    print(f"people          {people:,} lead rows imported first in {time.perf_counter() - started:.1f} s")
    return url, leads.parent


def arguments(description: str, rows: int, people: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=rows)
    parser.add_argument("--people", type=int, default=people)
    parser.add_argument("--db", help="an empty database's URL (default: a fresh SQLite file in a temp folder)")
    return parser.parse_args()


def database_and_file(args: argparse.Namespace):
    """The engine of a database holding `--people` imported leads, and a file of `--rows` activities naming them."""
    url, folder = prepare(args.db, args.people)
    engine = get_engine(url)
    with session_scope(engine) as session:
        emails = list(session.scalars(select(Person.email_normalized).where(Person.email_normalized.is_not(None))))
        types = sorted(active(session).playbook.engagement.points)
    path = folder / "activities.csv"
    write_activities(path, args.rows, emails, types)
    return engine, path


def main() -> None:
    args = arguments(__doc__, rows=1_000_000, people=50_000)
    engine, path = database_and_file(args)
    started, cpu_before = time.perf_counter(), time.process_time()
    report = import_activities(engine, path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_before
    result = report.result
    started = time.perf_counter()
    again = import_activities(engine, path)
    rerun = time.perf_counter() - started
    print(f"database        {engine.dialect.name}")
    print(f"rows            {result.rows:,} ({result.landed:,} landed as {result.touches:,} touches, "
          f"{result.duplicates:,} duplicates, {len(result.refused):,} refused); {result.leads_rescored:,} lead "
          f"scores written, {result.qualified:,} new MQLs")
    print(f"import          {elapsed:.1f} s = {result.rows / elapsed:,.0f} rows/s; CPU {cpu * 1e6 / result.rows:,.0f} "
          f"us/row in this process (SQLite's own work included, a PostgreSQL server's not), load average {os.getloadavg()[0]:.1f}")
    print(f"re-run          {rerun:.1f} s, landed nothing new: {again.already_imported}")


if __name__ == "__main__":
    main()
