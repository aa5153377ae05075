"""Benchmark: the full lead import (parse, normalize, dedupe, match, score, persist with events).

    python bench/import_leads.py --rows 100000 [--db URL] [--keep FILE]

Writes a Salesforce-format export of N rows drawn from the demo generator's pools (10% repeat
an earlier person, 1% are bad rows), imports it into a fresh database in a process of its own,
and prints rows/s, CPU time per row and peak memory beside the raw ceiling measured in the same
run: a plain executemany of the same rows into one bare table. On a shared machine compare the
ratio to the ceiling and the CPU per row, which other load disturbs less than rows/s.
"""

import argparse
import csv
import multiprocessing
import random
import resource
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from revteam.db.migrate import upgrade
from revteam.db.session import get_engine, session_scope
from revteam.demo.company import phone_number
from revteam.demo.names import (
    COMPANY_WORDS, COUNTRIES, EMPLOYEE_BANDS, FIRST_NAMES, FREE_MAIL_DOMAINS, INDUSTRIES, LAST_NAMES, TITLES,
)
from revteam.leads.intake.importer import import_file
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
    phone = phone_number(rng, country)
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
    marker = "?" if engine.dialect.name == "sqlite" else "%s"
    with engine.begin() as connection:
        connection.execute(text(f"CREATE TABLE {table} ({columns})"))
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.exec_driver_sql(f"INSERT INTO {table} VALUES ({', '.join([marker] * len(HEADER))})",
                                   [tuple(row) for row in rows])
    elapsed = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE {table}"))
    return len(rows) / elapsed


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _own_peak_mib() -> float:
    """This process's peak resident memory since it started its own program.

    Linux keeps ru_maxrss across exec, so a spawned child would report its parent's peak (the
    generator held every row); VmHWM belongs to the new program's memory alone.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(url: str, path: Path, results) -> None:
    """Import in a fresh process, so its peak memory is the import's own, not the generator's."""
    started, cpu_before = time.perf_counter(), _cpu_seconds(resource.RUSAGE_SELF)
    report = import_file(get_engine(url), path)
    elapsed = time.perf_counter() - started
    result = report.result
    results.put({
        "rows": result.rows, "new": result.new_leads, "merged": result.merged, "refused": len(result.refused),
        "elapsed": elapsed, "cpu_main": _cpu_seconds(resource.RUSAGE_SELF) - cpu_before,
        "cpu_reader": _cpu_seconds(resource.RUSAGE_CHILDREN),
        "peak_main_mib": _own_peak_mib(),
        # An upper bound: the reader's count starts from what the importing process held when it spawned it.
        "peak_reader_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    })


def _import_in_child(url: str, path: Path) -> dict:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=timed_import, args=(url, path, results))
    child.start()
    figures = results.get()
    child.join()
    return figures


def parsed_arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file in a temp folder)")
    return parser.parse_args()


def prepare(db: str | None, rows: int) -> tuple[str, Path, list[list[str]]]:
    """A migrated database with the default playbook (a fresh SQLite file unless `db` names one) and
    an export of `rows` rows: the database URL, the file and its rows."""
    folder = Path(tempfile.mkdtemp(prefix="revteam-bench-"))
    url = db or f"sqlite:///{folder / 'bench.db'}"
    engine = get_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    path = folder / "salesforce_export.csv"
    return url, path, write_export(path, rows)


def main() -> None:
    args = parsed_arguments(__doc__)
    url, path, rows = prepare(args.db, args.rows)
    engine = get_engine(url)
    ceiling = raw_ceiling(engine, rows)
    del rows
    engine.dispose()
    run = _import_in_child(url, path)
    per_row = 1e6 / run["rows"]
    print(f"database        {engine.dialect.name}")
    print(f"rows            {run['rows']:,} ({run['new']:,} new, {run['merged']:,} merged, {run['refused']:,} refused)")
    print(f"import          {run['elapsed']:.1f} s = {run['rows'] / run['elapsed']:,.0f} rows/s")
    print(f"raw ceiling     {ceiling:,.0f} rows/s (bare executemany, same rows, one table)")
    print(f"ratio           {run['rows'] / run['elapsed'] / ceiling:.3f} of the ceiling")
    print(f"cpu             {run['cpu_main'] * per_row:,.0f} us/row importing process, "
          f"{run['cpu_reader'] * per_row:,.0f} us/row reader process (the database server not counted)")
    print(f"peak memory     {run['peak_main_mib']:,.0f} MiB importing process, "
          f"at most {run['peak_reader_mib']:,.0f} MiB reader")


if __name__ == "__main__":
    main()
