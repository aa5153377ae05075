"""Putting timed work in the database, cancelling it, and showing what is due."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.errors import BadInput
from revteam.jobs import registry
from revteam.jobs.models import UNFINISHED_SQL, Job, JobState

UNFINISHED = (JobState.due, JobState.running)
DEFAULT_MAX_ATTEMPTS = 5

# The clock of the job being run, so work a handler enqueues follows an injected (fake) `now`.
_job_clock: ContextVar[datetime | None] = ContextVar("job_clock", default=None)


@contextmanager
def job_clock(now: datetime) -> Iterator[None]:
    """Within this block `current_time()` is `now` (the runner wraps each handler in it)."""
    token = _job_clock.set(now)
    try:
        yield
    finally:
        _job_clock.reset(token)


def current_time() -> datetime:
    """The running job's `now`, else the real clock."""
    return _job_clock.get() or utcnow()


def _insert(session: Session, into=Job):
    # The dialects imported here: `jobs list` on SQLite must not load PostgreSQL's (see db/base.py `_Json`).
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(into)


def _values(*, kind: str, run_at: datetime, payload: dict, dedupe_key: str | None = None,
            max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> dict:
    if run_at.tzinfo is None:
        raise BadInput(f"naive run_at {run_at!r}: give a timezone-aware time", where="job")
    return dict(kind=kind, run_at=run_at, payload=payload, dedupe_key=dedupe_key, state=JobState.due,
                attempts=0, max_attempts=max_attempts, created_at=utcnow())


def _deduped(statement):
    # The partial unique index settles concurrent enqueues: the loser keeps the winner's job.
    # The index predicate is written as literals: PostgreSQL cannot match a partial index
    # against bound parameters once psycopg switches the statement to a prepared, generic plan.
    return statement.on_conflict_do_nothing(index_elements=["dedupe_key"], index_where=text(UNFINISHED_SQL))


def enqueue(
    session: Session,
    *,
    kind: str,
    run_at: datetime,
    payload: dict,
    dedupe_key: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> Job:
    """Add a job in the caller's transaction; an unfinished job with the same dedupe key is returned instead."""
    statement = _insert(session).values(**_values(kind=kind, run_at=run_at, payload=payload, dedupe_key=dedupe_key,
                                                  max_attempts=max_attempts))
    if dedupe_key is not None:
        statement = _deduped(statement)
    job_id = session.execute(statement.returning(Job.id)).scalar()
    if job_id is None:
        job_id = session.scalar(select(Job.id).where(Job.dedupe_key == dedupe_key, Job.state.in_(UNFINISHED)))
    return session.get(Job, job_id)


def enqueue_many(session: Session, jobs: Sequence[dict]) -> None:
    """Add jobs (each given as `enqueue`'s keyword arguments, all with a dedupe key) in one INSERT in
    the caller's transaction; a job whose key an unfinished job already has is left out."""
    if jobs:  # Core executemany on the table: one statement text, compiled once, whatever the number of rows
        session.connection().execute(_deduped(_insert(session, Job.__table__)), [_values(**job) for job in jobs])


def next_slot(now: datetime, every: timedelta) -> datetime:
    """The first multiple of `every` since the epoch after `now`: every chain of a periodic job lands on
    the same slots, so a second chain (another init, a retried run) dedupes into the first."""
    step = int(every.total_seconds())
    return datetime.fromtimestamp((int(now.timestamp()) // step + 1) * step, tz=UTC)


def periodic_key(kind: str, run_at: datetime) -> str:
    """The dedupe key of the periodic job `kind` due at `run_at`."""
    return f"{kind}@{run_at.isoformat()}"


def enqueue_periodic(session: Session, *, kind: str, every: timedelta, now: datetime) -> Job:
    """The periodic job `kind` due at the next slot (made once, however often asked)."""
    run_at = next_slot(now, every)
    return enqueue(session, kind=kind, run_at=run_at, payload={}, dedupe_key=periodic_key(kind, run_at))


def schedule_periodic(session: Session, *, now: datetime) -> list[Job]:
    """Make sure every periodic job kind has its next run due (`revteam init` calls this)."""
    return [enqueue_periodic(session, kind=kind, every=every, now=now)
            for kind, every in sorted(registry.periodic_kinds().items())]


def cancel(session: Session, *, dedupe_key: str) -> bool:
    """Cancel the due job with this dedupe key; False when there is none (already run, or never made)."""
    result = session.execute(
        update(Job)
        .where(Job.dedupe_key == dedupe_key, Job.state == JobState.due)
        .values(state=JobState.cancelled, finished_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount > 0


def pending(session: Session, *, kind: str | None = None, limit: int = 100) -> Sequence[Job]:
    """Unfinished jobs, soonest first (the dead too, so failures stay visible)."""
    query = select(Job).where(Job.state.in_((*UNFINISHED, JobState.dead))).order_by(Job.run_at, Job.id).limit(limit)
    if kind is not None:
        query = query.where(Job.kind == kind)
    return session.scalars(query).all()


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds / size + 0.5)} {unit}"
    return f"{seconds} s"


def due_in_words(run_at: datetime, *, now: datetime) -> str:
    """'due in 3 h', 'overdue by 5 min' or 'due now'."""
    delta = run_at - now
    if abs(delta) < timedelta(seconds=1):
        return "due now"
    return f"due in {_span(delta)}" if delta > timedelta(0) else f"overdue by {_span(-delta)}"
