from datetime import timedelta

import pytest
from sqlalchemy import update

from revteam.db.session import get_engine
from revteam.jobs import registry, runner
from revteam.jobs.models import Job
from revteam.jobs.runner import LEASE, run_due


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


def test_a_job_whose_lease_was_taken_over_before_it_ran_is_left_to_the_other_worker(engine, queue, runs,
                                                                                    monkeypatch, clock):
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL holds a row lock for the whole batch instead of a lease")
    taken, kept = queue.add(tag="taken"), queue.add(tag="kept")
    claim = runner._claim_leased

    def claim_then_lose_one(engine, **options):
        claimed = claim(engine, **options)
        # Our lease on one job ran out before the batch ran, and another worker claimed it.
        _left_running(engine, taken, locked_until=clock.now + 2 * LEASE)
        return claimed

    monkeypatch.setattr(runner, "_claim_leased", claim_then_lose_one)
    run_due(engine, now=clock.now, worker_id="w1")
    assert runs.by_tag == {"kept": 1}
    assert queue.get(taken).locked_by == "dead-worker"
    assert queue.get(kept).state == "done"
