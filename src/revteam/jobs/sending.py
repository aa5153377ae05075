"""Sends after a batch committed (e-mail): out on threads of their own, outside any transaction (while
the runner goes on with its next batch), then their outcomes recorded together on the jobs this worker
still holds."""

import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Engine, and_, update
from sqlalchemy.orm import Session

from revteam.db.session import session_scope
from revteam.jobs import registry
from revteam.jobs.models import Job, JobState
from revteam.jobs.outcomes import LEASE, RunSummary, done_values, record_failure, runs_of_one_kind
from revteam.jobs.service import job_clock

log = logging.getLogger(__name__)

SENDERS = 4  # sends in flight at once, after a batch commits: the mail server answers each in turn


@cache
def _senders() -> ThreadPoolExecutor:
    """The threads sends go out on: each keeps its own connection to the server (notify/email.py)."""
    return ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="revteam-send")


os.register_at_fork(after_in_child=_senders.cache_clear)  # a forked worker has none of its parent's threads


def _sent(job: Job, message: Any) -> BaseException | None:
    try:
        registry.lookup(job.kind).send(message)
    except Exception as error:
        return error
    return None


def _after_send(session: Session, jobs: list[Job], now: datetime) -> None:
    with job_clock(now):
        for run in runs_of_one_kind(jobs):
            registry.lookup(run[0].kind).after_send(session, [dict(job.payload) for job in run], now=now)


def _record_sends(session: Session, jobs: list[Job], *, now: datetime) -> dict[int, BaseException]:
    """Record these sends in one SAVEPOINT, a few statements for them all (records only write to the
    database, so they may be redone); should that fail, again one SAVEPOINT each, so only the failing
    one fails. The failures, by job id."""
    if not jobs:
        return {}
    try:
        with session.begin_nested():
            _after_send(session, jobs, now)
        return {}
    except Exception:
        log.info("recording %s sends at once failed: again one by one", len(jobs))
    errors = {}
    for job in jobs:
        try:
            with session.begin_nested():
                _after_send(session, [job], now)
        except Exception as error:
            errors[job.id] = error
    return errors


def _still_ours(session: Session, job_ids: list[int], *, ours, now: datetime) -> set[int]:
    """Of these jobs, those this worker still holds, their leases renewed for the recording (locked on
    PostgreSQL, SQLite's write lock taken), so nobody claims one of them meanwhile."""
    query = (update(Job).where(Job.id.in_(job_ids), ours).values(locked_until=now + LEASE).returning(Job.id)
             .execution_options(synchronize_session=False))
    return set(session.scalars(query))


@dataclass
class Sends:
    """A batch's sends, on their way."""

    outgoing: list[tuple[Job, Any]]
    errors: list[Future]  # each send's failure (None: it went)


def start_sends(outgoing: list[tuple[Job, Any]]) -> Sends:
    """After the batch committed: send what its jobs left, outside any transaction, on the sending threads."""
    return Sends(outgoing, [_senders().submit(_sent, job, message) for job, message in outgoing])


def record_sends(engine: Engine, sends: Sends, *, now: datetime, worker_id: str) -> RunSummary:
    """Once the sends went (or failed), record every outcome in one transaction on the jobs still ours (a
    worker that dies in between leaves them to be claimed again when their lease ends, and sent again:
    at least once)."""
    outgoing = sends.outgoing
    errors = {job.id: error.result() for (job, _), error in zip(outgoing, sends.errors, strict=True)}
    ours = and_(Job.state == JobState.running, Job.locked_by == worker_id)
    summary, done = RunSummary(), []
    with session_scope(engine) as session:
        kept = _still_ours(session, [job.id for job, _ in outgoing], ours=ours, now=now)
        summary.retried += len(outgoing) - len(kept)  # their lease ended: the worker holding them now records them
        outgoing = [(job, message) for job, message in outgoing if job.id in kept]
        errors |= _record_sends(session, [job for job, _ in outgoing if errors[job.id] is None], now=now)
        for job, _ in outgoing:
            error = errors[job.id]
            if error is not None:
                summary.count(record_failure(session, job, error, now=now, guard=ours) or "retried")
                continue
            done.append(job.id)
            summary.count("ran")
        if done:
            session.execute(update(Job).where(Job.id.in_(done), ours).values(**done_values(now))
                            .execution_options(synchronize_session=False))
    return summary
