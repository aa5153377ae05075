"""Run due jobs once (`tick`) — a batch of jobs per transaction, each claimed by exactly one worker.

The batch is cut into runs of jobs of one kind. A kind with a batch form gets its whole run at once,
in one SAVEPOINT (a few statements for the run instead of a few per job); a kind without one runs
each job in its own SAVEPOINT (a run of redoable jobs, which only write to the database, in one).
Should a run done together raise, it is undone and its jobs run again one SAVEPOINT each: a failing
job is rolled back and recorded alone (retry with backoff, failure hook), the others commit with it,
once per batch, so the read models refreshed before commit (the lead milestones) and the per-session
caches (playbook, calendar) are paid per batch.
PostgreSQL: the batch is taken with `SELECT ... FOR UPDATE SKIP LOCKED LIMIT n` and held for the whole
transaction, so the handlers' changes and `done` commit together and a crashed worker just releases
the locks. SQLite (one writer): one conditional UPDATE claims the batch as `running` with a lease; the
run transaction starts by renewing the leases still ours, which takes SQLite's write lock, so nobody
can take the batch over until it commits; a lease left by a crashed worker expires and its jobs are
claimed again. A kind that sends (`send` in the registry: e-mail) runs its handler in the batch, which
keeps the job `running` under this worker's lease at the commit; the sends go out after the commit,
outside any transaction (each sending thread keeps its SMTP connection for many messages) while the
next batch runs, and their outcomes are recorded after it in one more transaction on the jobs still
ours, the sends of a batch together.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, select, true, update
from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.jobs import registry
from revteam.jobs.models import Job, JobState
from revteam.jobs.outcomes import LEASE, RunSummary, done_values, record_failure, runs_of_one_kind
from revteam.jobs.sending import Sends, record_sends, start_sends
from revteam.jobs.service import enqueue_periodic, job_clock

log = logging.getLogger(__name__)

BATCH = 1_000  # jobs per transaction: each costs a few statements and a commit, whatever its size


def _claimable(now: datetime) -> tuple:
    """The jobs a worker may claim, in the order it takes them: those whose lease ended (their worker died
    holding them), then those due. Each is read on its own down ix_jobs_state_run_at_id in (run_at, id)
    order, so a claim reads the entries it takes (an OR of the two made both databases read and sort
    every due job at each claim: 55 ms a claim on SQLite with 100,000 due)."""
    return (and_(Job.state == JobState.running, Job.locked_until < now),
            and_(Job.state == JobState.due, Job.run_at <= now))


def _claim_in_order(now: datetime, size: int, take: Callable[[Any, int], list]) -> list:
    """Up to `size` claimable jobs, `take(where, n)` taking up to n of those `where` holds, in order."""
    taken: list = []
    for claimable in _claimable(now):
        if len(taken) < size:
            taken += take(claimable, size - len(taken))
    return taken


def _in_claim_order(where, size: int):
    return select(Job).where(where).order_by(Job.run_at, Job.id).limit(size)


def _execute(session: Session, job: Job, now: datetime) -> Any:
    with job_clock(now):
        outgoing = registry.run_handler(session, job.kind, dict(job.payload), now=now)
    every = registry.lookup(job.kind).every
    if every:
        enqueue_periodic(session, kind=job.kind, every=every, now=now)
    return outgoing if registry.lookup(job.kind).send else None


def _prepare(session: Session, jobs: list[Job], now: datetime) -> None:
    """Let the kind of these jobs, if it declares `prepare`, load what they read, once; a failing
    prepare only costs speed (its jobs load what they need themselves)."""
    registered = registry.registered_handlers().get(jobs[0].kind)
    if registered is None or registered.prepare is None:
        return
    try:
        with session.begin_nested():
            registered.prepare(session, [job.payload for job in jobs], now=now)
    except Exception:
        log.exception("preparing a batch of %s jobs raised", jobs[0].kind)


def _run_as_set(session: Session, jobs: list[Job], registered: registry.Registered,
                now: datetime) -> list[tuple[Job, Any]] | None:
    """Hand a run of one kind to its batch handler, in one SAVEPOINT; None, and all of it undone, when
    it raises."""
    try:
        with session.begin_nested(), job_clock(now):
            returned = registered.batch(session, [dict(job.payload) for job in jobs], now=now)
            if registered.every:
                enqueue_periodic(session, kind=jobs[0].kind, every=registered.every, now=now)
            returned = returned if registered.send and returned is not None else [None] * len(jobs)
            return list(zip(jobs, returned, strict=True))
    except Exception:
        session.expire_all()  # the undone jobs set values as committed (an enrollment's step): read them again
        log.info("a run of %s %s jobs failed as a set: run again one by one", len(jobs), jobs[0].kind)
        return None


def _run_all_at_once(session: Session, jobs: list[Job], now: datetime) -> list[tuple[Job, Any]] | None:
    """Run redoable jobs in one SAVEPOINT: one flush for the batch's writes instead of one per job;
    None, and all of them undone, when one raises."""
    try:
        with session.begin_nested():
            return [(job, _execute(session, job, now)) for job in jobs]
    except Exception:
        session.expire_all()  # the undone jobs set values as committed (an enrollment's step): read them again
        log.info("a batch of %s jobs failed at once: run again one by one", len(jobs))
        return None


def _run_kind(session: Session, jobs: list[Job], *, now: datetime, summary: RunSummary,
              ours) -> list[tuple[Job, Any]]:
    """Run jobs of one kind: as a set when the kind has a batch form, else (or should that fail) each
    in a SAVEPOINT of its own, undone alone if it fails (its failure recorded in `summary`)."""
    registered = registry.registered_handlers().get(jobs[0].kind)
    if registered is not None and registered.batch is not None:
        together = _run_as_set(session, jobs, registered, now)
        if together is not None:
            return together
    _prepare(session, jobs, now)
    if len(jobs) > 1 and registered is not None and registered.redoable and registered.batch is None:
        together = _run_all_at_once(session, jobs, now)
        if together is not None:
            return together
    ran = []
    for job in jobs:
        try:
            with session.begin_nested():
                ran.append((job, _execute(session, job, now)))
        except Exception as error:
            summary.count(record_failure(session, job, error, now=now, guard=ours) or "retried")
    return ran


def _run_each(session: Session, jobs: list[Job], *, now: datetime, summary: RunSummary, ours) -> list[tuple[Job, Any]]:
    """Run the jobs, each undone alone if it fails; the jobs that ran, each with what it left to send."""
    return [ran for run in runs_of_one_kind(jobs) for ran in _run_kind(session, run, now=now, summary=summary, ours=ours)]


@dataclass
class _Batch:
    """What a batch's transaction did, and the sends it left for after its commit."""

    claimed: int
    summary: RunSummary
    outgoing: list[tuple[Job, Any]]
    sends: Sends | None = None

    def send(self) -> "_Batch":
        """Once committed: start the sends."""
        self.sends = start_sends(self.outgoing) if self.outgoing else None
        return self


def _run_batch(session: Session, jobs: list[Job], *, now: datetime, ours, worker_id: str, leased: bool) -> _Batch:
    """Run each job in its own SAVEPOINT (a failing job is rolled back and recorded alone), then mark
    the ones that ran done, and keep ours (leased) those with something to send after the commit
    (`leased`: the batch's jobs already hold this worker's lease to `now + LEASE`);
    the caller commits the whole batch once."""
    summary, ran, outgoing = RunSummary(), [], []
    for job, sending in _run_each(session, jobs, now=now, summary=summary, ours=ours):
        if sending is None:
            ran.append(job.id)
            summary.count("ran")
        else:
            outgoing.append((job, sending))
    if ran:
        session.execute(update(Job).where(Job.id.in_(ran), ours).values(**done_values(now))
                        .execution_options(synchronize_session=False))
    if outgoing and not leased:
        session.execute(update(Job).where(Job.id.in_([job.id for job, _ in outgoing]), ours)
                        .values(state=JobState.running, locked_by=worker_id, locked_until=now + LEASE)
                        .execution_options(synchronize_session=False))
    return _Batch(len(jobs), summary, outgoing)


def _finished(engine: Engine, batch: _Batch, *, now: datetime, worker_id: str) -> RunSummary:
    """What the batch did, its sends (if any) waited for and recorded."""
    if batch.sends is not None:
        batch.summary.add(record_sends(engine, batch.sends, now=now, worker_id=worker_id))
    return batch.summary


def _run_locked(engine: Engine, *, now: datetime, worker_id: str, size: int) -> _Batch:
    """PostgreSQL: lock up to `size` due jobs (skipping those another worker holds), run and finish
    them in a single transaction."""
    with session_scope(engine) as session:
        jobs = _claim_in_order(now, size, lambda where, n: session.scalars(
            _in_claim_order(where, n).with_for_update(skip_locked=True)).all())
        batch = _run_batch(session, jobs, now=now, ours=true(), worker_id=worker_id, leased=False)
    return batch.send()


def _claim_leased(engine: Engine, *, now: datetime, worker_id: str, size: int) -> list[int]:
    """SQLite: mark up to `size` due jobs ours until the lease ends, in one UPDATE; their ids."""
    def take(where, n: int) -> list[int]:
        ids = _in_claim_order(where, n).with_only_columns(Job.id).scalar_subquery()
        return session.scalars(update(Job).where(Job.id.in_(ids), where)
                               .values(state=JobState.running, locked_by=worker_id, locked_until=now + LEASE)
                               .returning(Job.id).execution_options(synchronize_session=False)).all()

    with session_scope(engine) as session:
        return sorted(_claim_in_order(now, size, take))


def _run_leased(engine: Engine, *, now: datetime, worker_id: str, size: int) -> _Batch:
    """SQLite: claim a batch, then run it and mark it done in one transaction. That transaction starts
    by writing (so SQLite's write lock, which no other worker can take over, guards the batch) the
    jobs whose lease is still ours; a job taken over meanwhile by another worker is left to it."""
    job_ids = _claim_leased(engine, now=now, worker_id=worker_id, size=size)
    if not job_ids:
        return _Batch(0, RunSummary(), [])
    ours = and_(Job.state == JobState.running, Job.locked_by == worker_id)
    with session_scope(engine) as session:
        kept = session.scalars(update(Job).where(Job.id.in_(job_ids), ours)
                               .values(locked_until=now + LEASE).returning(Job.id)
                               .execution_options(synchronize_session=False)).all()
        lost = len(job_ids) - len(kept)
        if lost:
            log.warning("%s of %s claimed jobs were taken over by another worker", lost, len(job_ids))
        jobs = session.scalars(select(Job).where(Job.id.in_(kept)).order_by(Job.run_at, Job.id)).all()
        batch = _run_batch(session, list(jobs), now=now, ours=ours, worker_id=worker_id, leased=True)
        batch.summary.retried += lost
        batch.claimed += lost
    return batch.send()


def run_due(engine: Engine, *, now: datetime, worker_id: str, limit: int | None = None,
            batch: int = BATCH) -> RunSummary:
    """Run every job due at `now` (at most `limit`), `batch` jobs per transaction; a failing job
    never stops the run. A batch's sends go out while the next batch runs, and are recorded after it
    (all of them before this returns)."""
    run_batch = _run_locked if engine.dialect.name == "postgresql" else _run_leased
    total, claimed, sending = RunSummary(), 0, _Batch(0, RunSummary(), [])
    try:
        while limit is None or claimed < limit:
            size = batch if limit is None else min(batch, limit - claimed)
            sent, sending = sending, run_batch(engine, now=now, worker_id=worker_id, size=size)
            total.add(_finished(engine, sent, now=now, worker_id=worker_id))
            if not sending.claimed:
                break
            claimed += sending.claimed
    finally:  # should a batch raise, the sends of the one before are recorded all the same
        total.add(_finished(engine, sending, now=now, worker_id=worker_id))
    return total


def run_until_stopped(engine: Engine, *, worker_id: str, interval: float, stop, batch: int = 50) -> RunSummary:
    """Run due jobs on the real clock until `stop` (a threading.Event) is set; checked between batches."""
    total = RunSummary()
    while not stop.is_set():
        summary = run_due(engine, now=utcnow(), worker_id=worker_id, limit=batch)
        total.add(summary)
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
