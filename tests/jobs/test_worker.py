import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from revteam.db.base import utcnow

REVTEAM = str(Path(sys.executable).with_name("revteam"))


def test_worker_once_runs_what_is_due_on_the_real_clock(cli, db_url, queue, runs):
    queue.add(run_at=utcnow() - timedelta(minutes=1), tag="due")
    queue.add(run_at=utcnow() + timedelta(hours=1), tag="later")
    result = cli("worker", "--once", "--db", db_url)
    assert result.code == 0, result.err
    assert "ran 1 job" in result.out
    assert runs.by_tag == {"due": 1}


def test_worker_stops_cleanly_on_sigterm(db_url):
    worker = subprocess.Popen([REVTEAM, "worker", "--interval", "0.2", "--db", db_url],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "COLUMNS": "200"})
    assert "running every" in worker.stdout.readline()
    worker.send_signal(signal.SIGTERM)
    out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "worker stopped: ran 0 jobs" in out and "Traceback" not in err
