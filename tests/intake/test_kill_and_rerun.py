import os
import signal
import subprocess
import sys
import time

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


def _chunks_landed(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM import_chunks")).scalar()


def _start_import(path, db_url):
    command = [sys.executable, "-m", "revteam", "import", "leads", str(path), "--db", db_url, "--chunk-rows", "500"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "CI": "1"})


def _kill_after_some_chunks(process, engine) -> int:
    deadline = time.monotonic() + 120
    while _chunks_landed(engine) < 3:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the import never landed a chunk"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return _chunks_landed(engine)


def test_a_killed_import_reruns_to_completion_without_duplicates(write_csv, import_json, engine, db_url):
    path = _big_file(write_csv)
    landed_before_kill = _kill_after_some_chunks(_start_import(path, db_url), engine)
    assert 3 <= landed_before_kill < ROWS // 500

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
