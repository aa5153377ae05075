"""Which function runs which kind of job. The domains' handler modules register theirs with `handler`
when imported; revteam/wiring.py names a loader that imports them, run the first time a handler is
looked up (so a command that only reads the queue does not load every domain): the queue names no domain.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

Handler = Callable[..., None]  # fn(session, payload, *, now) -> None
FailureHook = Callable[..., None]  # fn(session, payload, *, now, error, attempts, final) -> None
Prepare = Callable[..., None]  # fn(session, payloads, *, now) -> None: loads what a batch of the kind needs
Send = Callable[[Any], None]  # fn(what the handler returned) -> None, after commit, outside any transaction
BatchHandler = Callable[..., list | None]  # fn(session, payloads, *, now) -> what each job returned (None: nothing)
AfterSend = Callable[..., None]  # fn(session, payloads, *, now): records these sends, in a transaction of its own


@dataclass(frozen=True)
class Registered:
    run: Handler
    on_failure: FailureHook | None = None
    every: timedelta | None = None  # periodic: after each run the runner schedules the next one
    prepare: Prepare | None = None
    send: Send | None = None
    after_send: AfterSend | None = None
    redoable: bool = False  # the handler only writes to the database (see `handler`)
    batch: BatchHandler | None = None  # the handler's set-based form (see `handler`)


HANDLERS: dict[str, Registered] = {}
_PENDING_LOADERS: list[Callable[[], None]] = []
_LOADING = threading.RLock()  # worker threads may look up their first job at the same moment


def load_handlers_with(loader: Callable[[], None]) -> None:
    """Run `loader` (which imports handler modules) before the first lookup of any handler."""
    _PENDING_LOADERS.append(loader)


def registered_handlers() -> dict[str, Registered]:
    """Every registered kind, after the pending loaders have run."""
    with _LOADING:
        while _PENDING_LOADERS:
            _PENDING_LOADERS.pop(0)()
    return HANDLERS


def handler(kind: str, *, on_failure: FailureHook | None = None, every: timedelta | None = None,
            prepare: Prepare | None = None, send: Send | None = None, after_send: AfterSend | None = None,
            redoable: bool = False, batch: BatchHandler | None = None) -> Callable[[Handler], Handler]:
    """Register `fn(session, payload, *, now)` for a job kind; `on_failure` runs in the failure's transaction;
    with `every`, the kind is periodic (see jobs/service.py schedule_periodic); `prepare(session, payloads,
    *, now)` runs once before a batch's jobs of the kind, to load in a few queries what they all read (the
    handler must still work without it: a job may run alone). With `send`, what the handler returns (None:
    nothing to send) is handed to `send` after the batch commits, outside any transaction (SQLite's write
    lock is not held while a slow server answers), the job kept ours by its lease meanwhile; then
    `after_send(session, payloads, *, now)` records the sends that went (all of a batch at once, or one
    each should that fail), or a send's failure is retried as a handler's would be. `redoable`: the
    handler does nothing but write to the database, so a batch of such jobs may run in one SAVEPOINT and,
    should one fail, all be undone and run again one SAVEPOINT each. `batch(session, payloads, *, now)`
    does what the handler does for each payload, in order, with a few statements for them all, and
    returns what each returned (None when none returns anything); should it raise, it is undone and
    its jobs run one by one with the handler, so only a failing job fails."""

    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = Registered(run=fn, on_failure=on_failure, every=every, prepare=prepare, send=send,
                                    after_send=after_send, redoable=redoable, batch=batch)
        return fn

    return register


def periodic_kinds() -> dict[str, timedelta]:
    """Every periodic job kind and how often it runs."""
    return {kind: registered.every for kind, registered in registered_handlers().items() if registered.every}


class UnknownJobKind(LookupError):
    """A job whose kind no handler module registered."""


def lookup(kind: str) -> Registered:
    """The registered handler for a kind."""
    try:
        return registered_handlers()[kind]
    except KeyError:
        raise UnknownJobKind(f"no handler registered for job kind {kind!r}") from None


def run_handler(session: Session, kind: str, payload: dict, *, now: datetime) -> Any:
    """Run the handler for `kind` in the caller's transaction; what it returns (for a kind with `send`)."""
    return lookup(kind).run(session, payload, now=now)


def prepared(session: Session, name: str) -> dict:
    """What a `prepare` kept under `name` for the batch in hand (empty when a job runs alone): the
    runner's session lives for one batch."""
    return session.info.setdefault(f"jobs.prepared.{name}", {})
