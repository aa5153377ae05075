from datetime import timedelta

import pytest
from sqlalchemy import update

from revteam.db.session import get_engine, session_scope
from revteam.events.service import record
from revteam.jobs import registry
from revteam.jobs.models import Job
from revteam.jobs.runner import LEASE, run_due
from revteam.jobs.service import enqueue


class WorkerKilled(BaseException):
    """Stands in for the process dying in the middle of a job."""


def _left_running(engine, job_id, *, locked_until):
    with engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(
            state="running", locked_by="dead-worker", locked_until=locked_until))


def test_a_crashed_workers_job_is_claimed_again_after_its_lock_expires(engine, queue, runs, clock):
    job_id = queue.add(tag="sla")
    _left_running(engine, job_id, locked_until=clock.after(minutes=5))
    assert run_due(engine, now=clock.after(minutes=4), worker_id="w2").ran == 0
    assert run_due(engine, now=clock.after(minutes=6), worker_id="w2").ran == 1
    assert runs.by_tag == {"sla": 1}
    assert queue.get(job_id).state == "done"


def test_a_worker_killed_mid_job_loses_nothing_after_restart(db_url, queue, runs, monkeypatch, clock):
    def killed(session, payload, *, now):
        raise WorkerKilled()

    job_id = queue.add(kind="test.kill", tag="sla")
    monkeypatch.setitem(registry.HANDLERS, "test.kill", registry.Registered(run=killed))
    with pytest.raises(WorkerKilled):
        run_due(get_engine(db_url), now=clock.now, worker_id="w1")
    get_engine(db_url).dispose()
    get_engine.cache_clear()
    monkeypatch.setitem(registry.HANDLERS, "test.kill", registry.Registered(run=runs.handle))
    restarted = get_engine(db_url)
    summary = run_due(restarted, now=clock.now + LEASE + timedelta(seconds=1), worker_id="w2")
    assert summary.ran == 1
    assert runs.by_tag == {"sla": 1}
    assert queue.get(job_id).state == "done"


def test_a_job_is_not_run_twice_across_a_restart(db_url, queue, runs, clock):
    queue.add(tag="step")
    run_due(get_engine(db_url), now=clock.now, worker_id="w1")
    get_engine(db_url).dispose()
    get_engine.cache_clear()
    run_due(get_engine(db_url), now=clock.after(days=1), worker_id="w2")
    assert runs.by_tag == {"step": 1}


def test_work_finished_after_the_lease_was_taken_over_is_rolled_back(engine, queue, monkeypatch, clock):
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL holds a row lock for the whole job instead of a lease")

    def slow(session, payload, *, now):
        # Another worker claims the job because our lease ran out while we were still busy.
        _left_running(engine, payload["job_id"], locked_until=clock.now + LEASE)
        record(session, type="lead.escalated", subject_type="lead", subject_id=1, actor="test", data={})

    monkeypatch.setitem(registry.HANDLERS, "test.slow", registry.Registered(run=slow))
    with session_scope(engine) as session:
        job_id = enqueue(session, kind="test.slow", run_at=clock.now, payload={}).id
        session.get(Job, job_id).payload = {"job_id": job_id}
    run_due(engine, now=clock.now, worker_id="w1")
    assert queue.events("lead.escalated") == []
    assert queue.get(job_id).locked_by == "dead-worker"
