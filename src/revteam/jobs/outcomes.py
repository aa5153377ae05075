"""What becomes of a job that ran: the summary of a run, done, or failed and retried with backoff
(or dead), recorded on the job and in the event log; shared by the runner and the sends after it."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from operator import attrgetter

from sqlalchemy import update
from sqlalchemy.orm import Session

from revteam.events.service import record
from revteam.jobs import registry
from revteam.jobs.models import Job, JobState

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

    def add(self, other: "RunSummary") -> None:
        self.ran, self.retried, self.failed = self.ran + other.ran, self.retried + other.retried, self.failed + other.failed

    @classmethod
    def of(cls, summaries: list["RunSummary"]) -> "RunSummary":
        """What these runs did together."""
        total = cls()
        for summary in summaries:
            total.add(summary)
        return total


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failures: 1, 2, 4, 8 ... minutes."""
    return BACKOFF_BASE * 2 ** (attempts - 1)


def done_values(now: datetime) -> dict:
    return dict(state=JobState.done, finished_at=now, locked_by=None, locked_until=None)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _failure_hook(session: Session, job: Job, *, now: datetime, error: str, attempts: int, final: bool) -> None:
    registered = registry.registered_handlers().get(job.kind)
    if registered is None or registered.on_failure is None:
        return
    try:
        with session.begin_nested():
            registered.on_failure(session, dict(job.payload), now=now, error=error,
                                  attempts=attempts, final=final)
    except Exception:
        log.exception("failure hook of job %s (%s) raised", job.id, job.kind)


def record_failure(session: Session, job: Job, error: BaseException, *, now: datetime, guard) -> str | None:
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
    _failure_hook(session, job, now=now, error=text, attempts=attempts, final=final)
    log.warning("job %s (%s) failed, attempt %s: %s", job.id, job.kind, attempts, text)
    return "failed" if final else "retried"


def runs_of_one_kind(jobs: list[Job]) -> list[list[Job]]:
    """The batch, in order, cut into runs of jobs of one kind."""
    return [list(run) for _, run in groupby(jobs, key=attrgetter("kind"))]
