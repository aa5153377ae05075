"""Job handlers of cultivation tracks: the runner imports this module to register them."""

from datetime import datetime

from sqlalchemy.orm import Session

from revteam.cultivation import graduation, service
from revteam.jobs.registry import handler


def next_steps(session: Session, payloads: list[dict], *, now: datetime) -> None:
    service.run_due_steps(session, [(payload["enrollment_id"], payload["step"]) for payload in payloads], now=now)


@handler(service.STEP_JOB, batch=next_steps)
def next_step(session: Session, payload: dict, *, now: datetime) -> None:
    service.run_due_step(session, enrollment_id=payload["enrollment_id"], step=payload["step"], now=now)


@handler(service.SWEEP_JOB, every=service.SWEEP_EVERY)
def sweep(session: Session, payload: dict, *, now: datetime) -> None:
    graduation.sweep_with_graduation(session, now=now)
