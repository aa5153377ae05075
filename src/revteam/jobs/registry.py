"""Which function runs which kind of job; handler modules are imported lazily by the runner."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

# Modules whose import registers handlers; a module not written yet is skipped, nothing else is.
HANDLER_MODULES = ["revteam.notify.service", "revteam.leads.flow.jobs", "revteam.cultivation.jobs"]

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


def load_handlers() -> None:
    """Import every handler module once, tolerating only modules that do not exist yet."""
    for module in HANDLER_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as missing:
            if missing.name != module:
                raise


def periodic_kinds() -> dict[str, timedelta]:
    """Every periodic job kind and how often it runs."""
    load_handlers()
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
