"""A test-only job kind that counts its runs, and helpers to read jobs back."""

import threading
from collections import Counter

import pytest
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.jobs import registry
from revteam.jobs.models import Job
from revteam.jobs.service import enqueue


class Runs:
    """What the `test.count` handler saw: how often each payload ran; `fail_times` makes it raise first."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_tag: Counter = Counter()
        self.fail_times: dict[str, int] = {}

    def handle(self, session, payload, *, now):
        with self.lock:
            self.by_tag[payload["tag"]] += 1
            failing = self.fail_times.get(payload["tag"], 0) >= self.by_tag[payload["tag"]]
        if failing:
            raise RuntimeError(f"smtp down for {payload['tag']}")


@pytest.fixture
def runs(monkeypatch):
    runs = Runs()
    monkeypatch.setitem(registry.HANDLERS, "test.count", registry.Registered(run=runs.handle))
    return runs


class Queue:
    """The jobs table as a test sees it."""

    def __init__(self, engine, clock):
        self.engine, self.clock = engine, clock

    def add(self, *, run_at=None, tag="a", kind="test.count", **options) -> int:
        """Enqueue a job, due now on the test clock unless `run_at` says otherwise."""
        with session_scope(self.engine) as session:
            return enqueue(session, kind=kind, run_at=run_at or self.clock.now, payload={"tag": tag}, **options).id

    def get(self, job_id) -> Job:
        with session_scope(self.engine) as session:
            return session.get(Job, job_id)

    def events(self, type_) -> list[Event]:
        with session_scope(self.engine) as session:
            return list(session.scalars(select(Event).where(Event.type == type_).order_by(Event.id)))


@pytest.fixture
def queue(engine, clock) -> Queue:
    return Queue(engine, clock)
