import os
import signal
import subprocess
import sys

from sqlalchemy import text

from intake_files import SF_HEADER

ROWS = 20_000


def _big_file(write_csv):
    lines = [SF_HEADER]
    for i in range(ROWS):
        person = i % 18_000  # the last 2,000 rows are people seen before
        email = "broken@@mail" if i % 100 == 99 else f"person{person}@company{person % 700}.com"
        lines.append(f"P{person},Q,Company {person % 700},{email},,Engineer,Web,Open,Software,120,US,,,,")
    return write_csv("\n".join(lines) + "\n")


KILLED_IN_CHUNK = 4

# The real `revteam import leads`, killed with SIGKILL inside its fourth chunk: after the chunk's
# rows are written and before its transaction commits. A kill at a chosen point, not after a
# guessed delay, so every run tests the same crash.
_IMPORT_KILLED_MID_CHUNK = f"""
import os, signal, sys
from revteam.cli.main import run
from revteam.leads.intake import importer

land_rows, chunks_begun = importer.land_rows, []

def land_then_die_before_commit(session, rows, context):
    result = land_rows(session, rows, context)
    chunks_begun.append(len(rows))
    if len(chunks_begun) == {KILLED_IN_CHUNK}:
        session.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    return result

importer.land_rows = land_then_die_before_commit
sys.argv = ["revteam", *sys.argv[1:]]
run()
"""


def _chunks_landed(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM import_chunks WHERE chunk_no >= 0")).scalar()


def _import_killed_mid_chunk(path, db_url) -> None:
    command = [sys.executable, "-c", _IMPORT_KILLED_MID_CHUNK, "import", "leads", str(path), "--db", db_url,
               "--chunk-rows", "500"]
    killed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "CI": "1"}, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()


def test_a_killed_import_reruns_to_completion_without_duplicates(write_csv, import_json, engine, db_url):
    path = _big_file(write_csv)
    _import_killed_mid_chunk(path, db_url)
    assert _chunks_landed(engine) == KILLED_IN_CHUNK - 1

    report = import_json(path, "--chunk-rows", "500")

    assert report["rows"] == ROWS and len(report["refused"]) == ROWS // 100
    assert report["new_leads"] == 18_000 - 180 and report["landed"] == ROWS - ROWS // 100
    with engine.connect() as connection:
        people, leads, captured, touches = connection.execute(text(
            "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM leads),"
            " (SELECT count(*) FROM events WHERE type = 'lead.captured'), (SELECT count(*) FROM activities)")).one()
    assert people == leads == captured == report["new_leads"]
    assert touches == report["landed"]
    assert _chunks_landed(engine) == ROWS // 500
