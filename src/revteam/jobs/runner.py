"""Run due jobs once (`tick`) — one job per transaction, each claimed by exactly one worker.

PostgreSQL: the job row is taken with `SELECT ... FOR UPDATE SKIP LOCKED` and held for the whole
job transaction, so the handler's changes and `done` commit together and a crashed worker just
releases the lock. SQLite (one writer): a conditional UPDATE claims the row as `running` with a
lease; the handler's transaction commits only while the lease is still ours, and a lease left by a
crashed worker expires so the job is claimed again.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, or_, select, update
from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.events.service import record
from revteam.jobs import registry
from revteam.jobs.models import Job, JobState
from revteam.jobs.service import enqueue_periodic, job_clock

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BACKOFF_BASE = timedelta(minutes=1)
ACTOR = "system:jobs"


@dataclass
class RunSummary:
    """What one run did: `ran` succeeded, `retried` failed and will run again, `failed` gave up (dead)."""

    ran: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.ran + self.retried + self.failed

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


class LostLease(Exception):
    """Our SQLite lease expired and another worker claimed the job: our work is rolled back."""


def _claimable(now: datetime):
    return or_(
        and_(Job.state == JobState.due, Job.run_at <= now),
        and_(Job.state == JobState.running, Job.locked_until < now),
    )


def _next_job_query(now: datetime):
    return select(Job).where(_claimable(now)).order_by(Job.run_at, Job.id).limit(1)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failures: 1, 2, 4, 8 ... minutes."""
    return BACKOFF_BASE * 2 ** (attempts - 1)


def _execute(session: Session, job: Job, now: datetime) -> None:
    with job_clock(now):
        registry.run_handler(session, job.kind, dict(job.payload), now=now)
    every = registry.lookup(job.kind).every
    if every:
        enqueue_periodic(session, kind=job.kind, every=every, now=now)


def _done(now: datetime) -> dict:
    return dict(state=JobState.done, finished_at=now, locked_by=None, locked_until=None)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _failure_hook(session: Session, job: Job, *, now: datetime, error: str, final: bool) -> None:
    registered = registry.registered_handlers().get(job.kind)
    if registered is None or registered.on_failure is None:
        return
    try:
        with session.begin_nested():
            registered.on_failure(session, dict(job.payload), now=now, error=error,
                                  attempts=job.attempts, final=final)
    except Exception:
        log.exception("failure hook of job %s (%s) raised", job.id, job.kind)


def _record_failure(session: Session, job: Job, error: BaseException, *, now: datetime, guard) -> str | None:
    """Reschedule with backoff or mark dead, in a conditional UPDATE; returns the outcome."""
    attempts = job.attempts + 1
    final = attempts >= job.max_attempts
    retry_at = None if final else now + backoff(attempts)
    text = _describe(error)
    changed = session.execute(
        update(Job).where(Job.id == job.id, guard).values(
            attempts=attempts, last_error=text, locked_by=None, locked_until=None,
            state=JobState.dead if final else JobState.due, run_at=retry_at or job.run_at,
            finished_at=now if final else None,
        ).execution_options(synchronize_session="fetch")
    ).rowcount
    if not changed:
        return None
    record(session, type="job.failed", subject_type="job", subject_id=job.id, actor=ACTOR, at=now,
           data={"kind": job.kind, "attempt": attempts, "error": text, "final": final,
                 "retry_at": retry_at.isoformat() if retry_at else None})
    _failure_hook(session, job, now=now, error=text, final=final)
    log.warning("job %s (%s) failed, attempt %s: %s", job.id, job.kind, attempts, text)
    return "failed" if final else "retried"


def _run_one_locked(engine: Engine, *, now: datetime, worker_id: str) -> str | None:
    """PostgreSQL: lock, run and finish one job in a single transaction."""
    with session_scope(engine) as session:
        job = session.scalars(_next_job_query(now).with_for_update(skip_locked=True)).first()
        if job is None:
            return None
        try:
            with session.begin_nested():
                _execute(session, job, now)
        except Exception as error:
            return _record_failure(session, job, error, now=now, guard=Job.id == job.id) or "retried"
        session.execute(update(Job).where(Job.id == job.id).values(**_done(now))
                        .execution_options(synchronize_session="fetch"))
        return "ran"


def _claim_leased(engine: Engine, *, now: datetime, worker_id: str) -> int | None:
    """SQLite: mark the next due job ours until the lease ends; None when nothing is due."""
    while True:
        with session_scope(engine) as session:
            job_id = session.scalar(_next_job_query(now).with_only_columns(Job.id))
            if job_id is None:
                return None
            claimed = session.execute(
                update(Job).where(Job.id == job_id, _claimable(now))
                .values(state=JobState.running, locked_by=worker_id, locked_until=now + LEASE)
            ).rowcount
        if claimed:
            return job_id


def _run_one_leased(engine: Engine, *, now: datetime, worker_id: str) -> str | None:
    """SQLite: claim a job, then run it and mark it done in one transaction while the lease holds."""
    job_id = _claim_leased(engine, now=now, worker_id=worker_id)
    if job_id is None:
        return None
    ours = and_(Job.state == JobState.running, Job.locked_by == worker_id)
    try:
        with session_scope(engine) as session:
            _execute(session, session.get(Job, job_id), now)
            finished = session.execute(update(Job).where(Job.id == job_id, ours).values(**_done(now)))
            if not finished.rowcount:
                raise LostLease(f"job {job_id} was claimed by another worker")
        return "ran"
    except LostLease:
        log.warning("job %s: lease lost, its work was rolled back", job_id)
        return "retried"
    except Exception as error:
        with session_scope(engine) as session:
            return _record_failure(session, session.get(Job, job_id), error, now=now, guard=ours) or "retried"


def run_due(engine: Engine, *, now: datetime, worker_id: str, limit: int | None = None) -> RunSummary:
    """Run every job due at `now` (at most `limit`), one at a time; a failing job never stops the run."""
    run_one = _run_one_locked if engine.dialect.name == "postgresql" else _run_one_leased
    summary = RunSummary()
    while limit is None or summary.total < limit:
        outcome = run_one(engine, now=now, worker_id=worker_id)
        if outcome is None:
            return summary
        summary.count(outcome)
    return summary


def run_until_stopped(engine: Engine, *, worker_id: str, interval: float, stop, batch: int = 50) -> RunSummary:
    """Run due jobs on the real clock until `stop` (a threading.Event) is set; checked between batches."""
    total = RunSummary()
    while not stop.is_set():
        summary = run_due(engine, now=utcnow(), worker_id=worker_id, limit=batch)
        for outcome in ("ran", "retried", "failed"):
            setattr(total, outcome, getattr(total, outcome) + getattr(summary, outcome))
        if summary.total < batch:
            stop.wait(interval)
    return total


@contextmanager
def background_worker(engine: Engine, *, worker_id: str, interval: float) -> Iterator[threading.Thread]:
    """Run due jobs in a thread beside the caller (the web server) until the block ends; the job in
    hand finishes first, so stopping never leaves half a job."""
    stop = threading.Event()
    thread = threading.Thread(target=run_until_stopped, name="revteam-jobs", daemon=True,
                              kwargs={"engine": engine, "worker_id": worker_id, "interval": interval, "stop": stop})
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join()
