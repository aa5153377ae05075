"""How fast one `tick` runs due cultivation steps that e-mail: `python bench/track_tick.py [--steps 100000] [--db URL]`.

Builds a fresh database (a temporary SQLite file, or the empty PostgreSQL database at --db) with STEPS
cultivating leads, each enrolled in the newsletter track with its `blog-digest` touch due now, starts
a local SMTP sink in a process of its own (`--sink`: Postfix's `smtp-sink`, a C program, when
installed, else aiosmtpd; the sink's CPU is the mail server's, not the product's), and times one tick
(`run_due` until nothing is due): every step runs its touch (queuing the e-mail) and its wait (scheduling the next step), then every e-mail goes out over SMTP
with its unsubscribe link. Prints steps/s and e-mails/s beside the bare job-claim rate measured in
the same run (no-op jobs through the same runner). Target: the whole tick under 60 s. The build
ends with ANALYZE, as autovacuum would have analysed tables of this size before a tick in service.

Postfix's smtp-sink without installing Postfix (no mail server is started; as root):
    cd /tmp && apt-get download postfix && dpkg -x postfix_*.deb /tmp/pf
    cp /tmp/pf/usr/sbin/smtp-sink /usr/sbin/ && mkdir -p /usr/lib/postfix
    cp /tmp/pf/usr/lib/postfix/libpostfix-*.so /usr/lib/postfix/   # the libraries it is linked to
    smtp-sink -u nobody 127.0.0.1:2525 10   # check: it listens until stopped (Ctrl-C)
"""

import argparse
import multiprocessing
import os
import re
import resource
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import func, insert, select, text

from revteam import config
from revteam.accounts.models import Account, Person
from revteam.cultivation.models import TrackEnrollment
from revteam.cultivation.service import STEP_JOB, step_key
from revteam.db.base import utcnow
from revteam.db.migrate import upgrade
from revteam.db.session import get_engine, session_scope
from revteam.jobs.models import Job
from revteam.jobs.outcomes import RunSummary
from revteam.jobs.processes import run_due_in_processes
from revteam.jobs.registry import handler
from revteam.jobs.runner import run_due
from revteam.leads.models import Lead
from revteam.outreach.touches import TOUCH_EMAIL_JOB
from revteam.playbook.versions import active, ensure_default

TRACK, STEP = "awareness_newsletter", 2  # blog-digest, then a wait of 10 business days
NOOP = "bench.noop"
BATCH = 10_000


class _Counter:
    """aiosmtpd's handler: counts the messages it is handed, keeps none."""

    def __init__(self, received) -> None:
        self.received = received

    async def handle_DATA(self, server, session, envelope):
        with self.received.get_lock():
            self.received.value += 1
        return "250 OK"


def _serve(port: int, received, stop, cpu) -> None:
    controller = Controller(_Counter(received), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()
    cpu.value = time.process_time()  # the sink's own CPU, apart from the tick's


class AiosmtpdSink:
    """aiosmtpd in a process of its own, as a mail server would be: not competing for this one's GIL."""

    name = "aiosmtpd"

    def __init__(self, port: int) -> None:
        self.received, self.stop = multiprocessing.Value("i", 0), multiprocessing.Event()
        self.cpu = multiprocessing.Value("d", 0.0)
        self.process = multiprocessing.Process(target=_serve, args=(port, self.received, self.stop, self.cpu),
                                               daemon=True)
        self.process.start()

    def finish(self) -> tuple[int, float]:
        """Stop it: the messages it received, its CPU seconds over its whole life."""
        self.stop.set()
        self.process.join()
        return self.received.value, self.cpu.value


class SmtpSink:
    """Postfix's smtp-sink: `-c` writes its counters (`... mesg=N`) to its output at each message's end."""

    name = "smtp-sink"

    def __init__(self, port: int) -> None:
        self.counters = tempfile.TemporaryFile()
        drop = ["-u", "nobody"] if os.geteuid() == 0 else []  # it refuses to run as root
        self.process = subprocess.Popen([_smtp_sink(), "-c", *drop, f"127.0.0.1:{port}", "256"], stdout=self.counters)

    def finish(self) -> tuple[int, float]:
        """Stop it: the messages it received, its CPU seconds over its whole life."""
        self.process.terminate()
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self.counters.seek(0)
        counts = re.findall(rb"mesg=(\d+)", self.counters.read())
        return int(counts[-1]) if counts else 0, usage.ru_utime + usage.ru_stime


def _smtp_sink() -> str | None:
    return shutil.which("smtp-sink") or shutil.which("smtp-sink", path="/usr/sbin:/usr/local/sbin")


SINKS = {sink.name: sink for sink in (SmtpSink, AiosmtpdSink)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"the SMTP sink never listened on port {port}")


def _rows(first: int, count: int, version_id: int, now) -> dict[str, list[dict]]:
    ids = range(first, first + count)
    return {
        "accounts": [{"id": n, "name": f"Company {n}", "name_normalized": f"company {n}", "domain": f"company{n}.com",
                      "employees": 50, "is_competitor": False, "created_at": now} for n in ids],
        "people": [{"id": n, "account_id": n, "first_name": f"Pat{n}", "email": f"pat@company{n}.com",
                    "email_normalized": f"pat@company{n}.com", "created_at": now} for n in ids],
        "leads": [{"id": n, "person_id": n, "account_id": n, "state": "cultivating", "version": 1, "score": 10,
                   "fit_score": 5, "engagement_score": 5, "is_mql": False, "source": "webinar", "created_at": now,
                   "updated_at": now} for n in ids],
        "track_enrollments": [{"id": n, "lead_id": n, "lead_version": 1, "track_id": TRACK, "step_index": STEP,
                               "state": "active", "next_step_at": now, "enrolled_at": now,
                               "playbook_version_id": version_id} for n in ids],
        "jobs": [{"kind": STEP_JOB, "payload": {"enrollment_id": n, "step": STEP}, "state": "due", "run_at": now,
                  "dedupe_key": step_key(n, STEP), "attempts": 0, "max_attempts": 5, "created_at": now} for n in ids],
    }


def _build(engine, steps: int, now) -> None:
    with session_scope(engine) as session:
        version_id = active(session).version_id
    tables = {model.__tablename__: model for model in (Account, Person, Lead, TrackEnrollment, Job)}
    for first in range(1, steps + 1, BATCH):
        with engine.begin() as connection:
            for table, rows in _rows(first, min(BATCH, steps + 1 - first), version_id, now).items():
                connection.execute(insert(tables[table]), rows)
    with engine.begin() as connection:  # the statistics autovacuum keeps of a table this size, the plans they pick
        connection.execute(text("ANALYZE"))


def _claim_rate(engine, count: int, now) -> float:
    handler(NOOP)(lambda session, payload, *, now: None)
    with engine.begin() as connection:
        connection.execute(insert(Job), [{"kind": NOOP, "payload": {}, "state": "due", "run_at": now, "attempts": 0,
                                          "max_attempts": 5, "created_at": now} for _ in range(count)])
    started = time.perf_counter()
    run_due(engine, now=now, worker_id="bench-claim")
    return count / (time.perf_counter() - started)


def _cpu() -> float:
    """CPU seconds of this process and of its children reaped so far (the tick's helper workers)."""
    return time.process_time() + sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), field)
                                     for field in ("ru_utime", "ru_stime"))


def _done(engine, kind: str) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Job).where(Job.kind == kind, Job.state == "done"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=2_000, help="no-op jobs for the bare claim rate")
    parser.add_argument("--db", help="an empty database (default: a fresh temporary SQLite file)")
    parser.add_argument("--sink", choices=SINKS, default="smtp-sink" if _smtp_sink() else "aiosmtpd",
                        help="the local SMTP server (default: smtp-sink when installed)")
    parser.add_argument("--workers", type=int, default=1, help="processes running the tick, as `tick --workers`")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'tick.db'}"
    port = _free_port()
    sink = SINKS[args.sink](port)
    _wait_for(port)
    settings = config.Settings(database_url=url, smtp_port=port, secret_key="bench-" + "k" * 40)
    config.get_settings = lambda: settings
    engine, now = get_engine(url), utcnow()
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    claims = _claim_rate(engine, args.claims, now)  # first, while nothing else is due
    started = time.perf_counter()
    _build(engine, args.steps, now)
    print(f"{engine.dialect.name}: built {args.steps:,} due steps in {time.perf_counter() - started:.1f} s")
    started, cpu = time.perf_counter(), _cpu()
    summary = RunSummary.of(run_due_in_processes(engine, now=now, worker_id="bench", workers=args.workers))
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    received, sink_cpu = sink.finish()
    steps, emails = _done(engine, STEP_JOB), _done(engine, TOUCH_EMAIL_JOB)
    print(f"tick: {summary.ran:,} jobs ran ({summary.retried} retried, {summary.failed} failed) in {seconds:.1f} s: "
          f"{steps:,} steps ({steps / seconds:,.0f} steps/s), {emails:,} e-mails, {received:,} received by the sink; "
          f"CPU: the tick's {args.workers} process(es) {cpu:.1f} s, the sink ({sink.name}) {sink_cpu:.1f} s (its whole life)")
    print(f"bare job-claim rate (no-op jobs, same runner): {claims:,.0f} jobs/s; target: the tick under 60 s "
          f"-> {'met' if seconds < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
