import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.jobs.models import Job, JobState
from revteam.jobs.runner import background_worker
from revteam.jobs.service import enqueue
from revteam.leads.flow.jobs import ROUTE_READY

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


def _wait_until(condition, what: str, *, seconds: float = 180.0) -> None:
    """Poll `condition` until it holds; fail naming `what` after a safety deadline (never a fixed sleep)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def test_background_worker_runs_a_job_falling_due_while_the_caller_works(engine, queue, runs):
    with background_worker(engine, worker_id="beside-the-server", interval=0.05) as thread:
        job_id = queue.add(run_at=utcnow() - timedelta(seconds=1), tag="while-serving")
        _wait_until(lambda: queue.get(job_id).state == JobState.done, "the job to be run")
    assert not thread.is_alive()
    assert runs.by_tag == {"while-serving": 1}


def _answers(port: int) -> bool:
    with socket.socket() as client:
        return client.connect_ex(("127.0.0.1", port)) == 0


def test_serve_with_worker_runs_due_jobs_and_stops_cleanly(db_url, engine):
    with session_scope(engine) as session:
        job_id = enqueue(session, kind=ROUTE_READY, run_at=utcnow() - timedelta(minutes=1), payload={}).id
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([REVTEAM, "serve", "--worker", "--port", str(port), "--db", db_url],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "COLUMNS": "200"})
    try:
        def done() -> bool:
            with session_scope(engine) as session:
                return session.get(Job, job_id).state == JobState.done
        _wait_until(done, "the server's worker to run the due job")
        _wait_until(lambda: _answers(port), "the server to listen")
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "due jobs run beside the server" in out and "Traceback" not in err
