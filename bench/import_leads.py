"""Benchmark: the full lead import (parse, normalize, dedupe, match, score, persist with events).

    python bench/import_leads.py --rows 100000 [--db URL] [--keep FILE]

Writes a Salesforce-format export of N rows drawn from the demo generator's pools (10% repeat
an earlier person, 1% are bad rows), imports it into a fresh database, and prints rows/s and
peak memory beside the raw ceiling measured in the same run: a plain executemany of the same
rows into one bare table.
"""

import argparse
import csv
import random
import resource
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from revteam.db.migrate import upgrade
from revteam.db.session import get_engine, session_scope
from revteam.demo.names import COMPANY_WORDS, COUNTRIES, EMPLOYEE_BANDS, FIRST_NAMES, FREE_MAIL_DOMAINS, INDUSTRIES, LAST_NAMES, PHONE_PREFIX, TITLES
from revteam.leads.importer import import_file
from revteam.playbook.versions import ensure_default

HEADER = ["FirstName", "LastName", "Company", "Email", "Phone", "Title", "LeadSource", "Status", "Industry",
          "NumberOfEmployees", "Country", "State", "City", "Website", "CreatedDate"]
SOURCES = ["Web", "Webinar", "Trade Show", "Partner Referral", "Paid Search", "Content Syndication"]


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _company(rng: random.Random, number: int) -> tuple[str, str]:
    word = COMPANY_WORDS[number % len(COMPANY_WORDS)]
    return f"{word} {number}", f"{word.lower()}{number}.com"


def _person_row(rng: random.Random, index: int, companies: int) -> list[str]:
    name, domain = _company(rng, rng.randrange(companies))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    country = _weighted(rng, COUNTRIES)
    free = rng.random() < 0.13
    email = f"{first}.{last}{index}@{rng.choice(FREE_MAIL_DOMAINS) if free else domain}".lower()
    low, high, _ = rng.choices(EMPLOYEE_BANDS, weights=[b[2] for b in EMPLOYEE_BANDS])[0]
    phone = f"{PHONE_PREFIX[country]} {rng.randrange(200, 999)} {rng.randrange(1000000, 9999999)}"
    created = f"2026-{rng.randrange(1, 11):02d}-{rng.randrange(1, 28):02d}T{rng.randrange(24):02d}:00:00.000Z"
    return [first, last, name, email, phone, _weighted(rng, [(t[0], t[2]) for t in TITLES]), rng.choice(SOURCES),
            "Open - Not Contacted", _weighted(rng, INDUSTRIES), str(rng.randrange(low, high)), country, "", "",
            f"www.{domain}" if not free else "", created]


def write_export(path: Path, rows: int, seed: int = 1) -> list[list[str]]:
    """The file, and its rows kept for the ceiling measurement."""
    rng, written = random.Random(seed), []
    for index in range(rows):
        roll = rng.random()
        if roll < 0.01:
            row = ["Bad", "Row", "Nowhere", f"bad{index}@@example", "", "", "", "", "", "", "", "", "", "", ""]
        elif roll < 0.11 and written:
            row = list(rng.choice(written[-5000:]))
            row[6] = rng.choice(SOURCES)
        else:
            row = _person_row(rng, index, max(rows // 10, 10))
        written.append(row)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(written)
    return written


def raw_ceiling(engine, rows: list[list[str]]) -> float:
    """rows/s of a bare executemany of the same rows into one plain table."""
    table = f"bench_ceiling_{uuid.uuid4().hex[:8]}"
    columns = ", ".join(f"c{i} TEXT" for i in range(len(HEADER)))
    insert = text(f"INSERT INTO {table} VALUES ({', '.join(f':c{i}' for i in range(len(HEADER)))})")
    params = [{f"c{i}": value for i, value in enumerate(row)} for row in rows]
    with engine.begin() as connection:
        connection.execute(text(f"CREATE TABLE {table} ({columns})"))
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.exec_driver_sql(f"INSERT INTO {table} VALUES ({', '.join(['?' if engine.dialect.name == 'sqlite' else '%s'] * len(HEADER))})",
                                   [tuple(row) for row in rows])
    elapsed = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE {table}"))
    del insert, params
    return len(rows) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file in a temp folder)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="revteam-bench-"))
    url = args.db or f"sqlite:///{folder / 'bench.db'}"
    engine = get_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    path = folder / "salesforce_export.csv"
    rows = write_export(path, args.rows)
    ceiling = raw_ceiling(engine, rows)
    del rows
    started = time.perf_counter()
    report = import_file(engine, path)
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = report.result
    print(f"database        {engine.dialect.name}")
    print(f"rows            {result.rows:,} ({result.new_leads:,} new, {result.merged:,} merged, {len(result.refused):,} refused)")
    print(f"import          {elapsed:.1f} s = {result.rows / elapsed:,.0f} rows/s")
    print(f"raw ceiling     {ceiling:,.0f} rows/s (bare executemany, same rows, one table)")
    print(f"ratio           {result.rows / elapsed / ceiling:.3f} of the ceiling")
    print(f"peak memory     {peak_mib:,.0f} MiB (importing process; the reader process streams)")


if __name__ == "__main__":
    main()
