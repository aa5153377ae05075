"""Where an activities import's time goes: `python bench/import_activity_phases.py --rows 200000 [--people 10000] [--db URL]`.

Imports the same activities file as bench/import_activities.py into a fresh database, with a timer
around each step of landing a chunk and of the scoring at the end, and prints the wall time of each
in µs per row. Steps nest (landing a piece holds the key check and the inserts); the scoring lines
are parts of "scoring the touched leads".
"""

import os
import time

import sqlalchemy.engine.default

from import_activities import arguments, database_and_file
from import_phases import SPENT, _time_calls
from revteam.leads.intake import activity_import, parallel_read, touches
from revteam.leads.intake.activity_import import import_activities
from revteam.leads.scoring import rescoring, stored


def _instrument() -> None:
    _time_calls(touches, "_land_piece", "landing a piece (holds the five below)")
    _time_calls(touches, "_new_rows", "keys of the touches and their check")
    _time_calls(touches, "insert_new_keys", "database: touch keys insert")
    _time_calls(touches, "insert_rows", "database: activities insert")
    _time_calls(touches, "_people", "database: people of the e-mails")
    _time_calls(touches, "record_bulk", "database: lead.engaged events")
    _time_calls(activity_import, "rescore_touched", "scoring the touched leads (holds the four below)")
    _time_calls(stored, "facts_for_leads", "scoring: facts")
    _time_calls(stored, "stored_engagement", "scoring: engagement summed by the database")
    _time_calls(rescoring, "write_new_scores", "scoring: writing the scores")
    _time_calls(rescoring, "record_bulk", "scoring: events")
    _time_calls(parallel_read, "_next_item", "waiting for the file reader")
    _time_calls(parallel_read, "_take", "unpacking the reader's pieces")
    _time_calls(sqlalchemy.engine.default.DefaultDialect, "do_commit", "database: commit")


def main() -> None:
    args = arguments(__doc__, rows=200_000, people=10_000)
    engine, path = database_and_file(args)
    _instrument()
    started = time.perf_counter()
    import_activities(engine, path)
    elapsed = time.perf_counter() - started
    print(f"database        {engine.dialect.name}")
    print(f"import          {elapsed:.1f} s = {args.rows / elapsed:,.0f} rows/s, load average {os.getloadavg()[0]:.1f}")
    for label, seconds in SPENT.most_common():
        print(f"{label:50s} {seconds * 1e6 / args.rows:7.1f} us/row")


if __name__ == "__main__":  # the file reader is a spawned process: it imports this module again
    main()
