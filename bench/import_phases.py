"""Where a lead import's time goes: `python bench/import_phases.py --rows 100000 [--db URL]`.

Imports the same Salesforce-format file as bench/import_leads.py into a fresh database, with a
timer around each step of landing a chunk, and prints the wall time of each step in µs per row.

The database's own share (the bulk inserts, the milestone refresh and the commit) is summed at
the end: that much of every row's time is spent inside SQLite or waiting on PostgreSQL, so no
speed-up of the Python around it can take the import past 1 / that share rows per second here.
Steps nest (write_slice holds the inserts, commit holds the milestone refresh); the timers add a
microsecond or two per row.
"""

import functools
import time
from collections import Counter

import sqlalchemy.engine.default
from import_leads import parsed_arguments, prepare
from sqlalchemy.orm import Session

from revteam.db.session import get_engine
from revteam.events import service as events_service
from revteam.db import bulk as bulk_write
from revteam.leads.intake import importer
from revteam.leads.intake import land as intake
from revteam.leads.intake import write as intake_write
from revteam.metrics import milestones

SPENT: Counter = Counter()
STEPS = ("plan_people", "_create_accounts", "_assign_ids", "_gather_touches", "_score", "write_slice")


def _time_calls(owner, name: str, label: str) -> None:
    """Replace owner.name by a wrapper that adds its wall time to SPENT[label]."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] += time.perf_counter() - started

    setattr(owner, name, timed)


def _time_inserts() -> None:
    """Each table's bulk insert on its own line; the modules that call it hold their own reference."""
    original = bulk_write.insert_rows

    def timed(session, table, columns, rows):
        started = time.perf_counter()
        original(session, table, columns, rows)
        SPENT[f"database: insert {table}"] += time.perf_counter() - started

    for module in (intake, intake_write, events_service):
        module.insert_rows = timed


def _time_reading() -> None:
    """The time the importer waits for the reader's next chunk."""
    original = importer.read_chunks

    def timed(*args, **kwargs):
        chunks = original(*args, **kwargs)
        while True:
            started = time.perf_counter()
            chunk = next(chunks, None)
            SPENT["waiting for the file reader"] += time.perf_counter() - started
            if chunk is None:
                return
            yield chunk

    importer.read_chunks = timed


def _instrument() -> None:
    for step in STEPS:
        _time_calls(intake, step, step)
    _time_calls(intake_write, "plan_events", "plan_events")
    _time_calls(milestones, "refresh_milestones", "database: milestone refresh")
    _time_calls(sqlalchemy.engine.default.DefaultDialect, "do_commit", "database: commit")
    _time_calls(Session, "commit", "commit (with the milestone refresh)")
    _time_calls(importer, "_land_chunk", "landing chunks (holds the steps below)")
    _time_inserts()
    _time_reading()


def main() -> None:
    args = parsed_arguments(__doc__)
    url, path, rows = prepare(args.db, args.rows)
    del rows
    engine = get_engine(url)
    _instrument()
    started = time.perf_counter()
    importer.import_file(engine, path)
    elapsed = time.perf_counter() - started
    print(f"database        {engine.dialect.name}")
    print(f"import          {elapsed:.1f} s = {args.rows / elapsed:,.0f} rows/s")
    for label, seconds in SPENT.most_common():
        print(f"{label:40s} {seconds * 1e6 / args.rows:7.1f} us/row")
    database = sum(seconds for label, seconds in SPENT.items() if label.startswith("database:"))
    per_row = database * 1e6 / args.rows
    print(f"database share  {per_row:.1f} us/row: at most {1e6 / per_row:,.0f} rows/s whatever the Python costs")


if __name__ == "__main__":
    main()
