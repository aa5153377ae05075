"""`revteam demo` (what `make demo` runs) serves with the due-job worker beside the server: the jobs
that fell due since the demo's history ended run while people click, with no other command. It
builds the database `revteam --db URL demo` names, as every command takes `--db` before it."""

import os
import signal
import socket
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from revteam.db.session import get_engine, session_scope
from revteam.jobs.models import Job, JobState

from tests.concurrency import wait_until

REVTEAM = str(Path(sys.executable).with_name("revteam"))


def _done_jobs(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Job).where(Job.state == JobState.done))


def test_the_demo_runs_due_jobs_while_it_serves(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    as_of = (date.today() - timedelta(days=1)).isoformat()  # a day of SLAs and evaluations fell due since
    demo = subprocess.Popen([REVTEAM, "--db", url, "demo", "--as-of", as_of, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, "COLUMNS": "200"})
    try:
        wait_until(lambda: Path(tmp_path / "demo.db").exists() and _listens(port), what="the demo to serve")
        engine = get_engine(url)
        wait_until(lambda: _done_jobs(engine) > 0, what="the demo's worker to run a job that fell due")
    finally:
        demo.send_signal(signal.SIGTERM)
        out, err = demo.communicate(timeout=120)
    assert demo.returncode == 0, err
    assert "Traceback" not in err
    assert not (tmp_path / "revteam-demo.db").exists(), "the demo ignored `revteam --db URL` before it"


def _listens(port: int) -> bool:
    with socket.socket() as client:
        return client.connect_ex(("127.0.0.1", port)) == 0
