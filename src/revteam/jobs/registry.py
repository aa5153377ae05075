"""Which function runs which kind of job. The domains' handler modules register theirs with `handler`
when imported, and revteam/wiring.py imports them: the queue names no domain.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

Handler = Callable[..., None]  # fn(session, payload, *, now) -> None
FailureHook = Callable[..., None]  # fn(session, payload, *, now, error, attempts, final) -> None


@dataclass(frozen=True)
class Registered:
    run: Handler
    on_failure: FailureHook | None = None
    every: timedelta | None = None  # periodic: after each run the runner schedules the next one


HANDLERS: dict[str, Registered] = {}


def handler(kind: str, *, on_failure: FailureHook | None = None,
            every: timedelta | None = None) -> Callable[[Handler], Handler]:
    """Register `fn(session, payload, *, now)` for a job kind; `on_failure` runs in the failure's transaction;
    with `every`, the kind is periodic (see jobs/service.py schedule_periodic)."""

    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = Registered(run=fn, on_failure=on_failure, every=every)
        return fn

    return register


def periodic_kinds() -> dict[str, timedelta]:
    """Every periodic job kind and how often it runs."""
    return {kind: registered.every for kind, registered in HANDLERS.items() if registered.every}


class UnknownJobKind(LookupError):
    """A job whose kind no handler module registered."""


def lookup(kind: str) -> Registered:
    """The registered handler for a kind."""
    try:
        return HANDLERS[kind]
    except KeyError:
        raise UnknownJobKind(f"no handler registered for job kind {kind!r}") from None


def run_handler(session: Session, kind: str, payload: dict, *, now: datetime) -> None:
    """Run the handler for `kind` in the caller's transaction."""
    lookup(kind).run(session, payload, now=now)
