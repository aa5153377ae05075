import pytest
from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.errors import BadInput
from revteam.jobs.models import Job
from revteam.jobs.runner import run_due
from revteam.jobs.service import cancel, enqueue


def _count(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Job))


def test_same_dedupe_key_returns_the_existing_job(engine, queue, clock):
    first = queue.add(dedupe_key="offer:7:accept-sla")
    second = queue.add(run_at=clock.after(hours=1), dedupe_key="offer:7:accept-sla")
    assert second == first
    assert _count(engine) == 1


def test_same_dedupe_key_in_one_transaction_makes_one_job(engine, clock):
    with session_scope(engine) as session:
        one = enqueue(session, kind="test.count", run_at=clock.now, payload={"tag": "a"}, dedupe_key="k")
        two = enqueue(session, kind="test.count", run_at=clock.now, payload={"tag": "a"}, dedupe_key="k")
        assert one is two
    assert _count(engine) == 1


def test_dedupe_key_is_free_again_once_the_job_ran(engine, runs, queue, clock):
    first = queue.add(dedupe_key="lead:1:step")
    run_due(engine, now=clock.now, worker_id="w1")
    assert queue.add(dedupe_key="lead:1:step") != first


def test_a_job_exists_only_if_the_callers_transaction_commits(engine, clock):
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            enqueue(session, kind="test.count", run_at=clock.now, payload={"tag": "a"})
            raise RuntimeError("the lead change failed")
    assert _count(engine) == 0


def test_naive_run_at_is_refused(engine, clock):
    with session_scope(engine) as session, pytest.raises(BadInput, match="timezone-aware"):
        enqueue(session, kind="test.count", run_at=clock.now.replace(tzinfo=None), payload={})


def test_cancelled_job_never_runs(engine, runs, queue, clock):
    cancelled = queue.add(dedupe_key="offer:9:accept-sla")
    with session_scope(engine) as session:
        assert cancel(session, dedupe_key="offer:9:accept-sla") is True
    summary = run_due(engine, now=clock.after(days=1), worker_id="w1")
    assert summary.ran == 0 and not runs.by_tag
    assert queue.get(cancelled).state == "cancelled"


def test_cancel_without_a_due_job_says_so(engine, runs, queue, clock):
    queue.add(dedupe_key="offer:3:accept-sla")
    run_due(engine, now=clock.now, worker_id="w1")
    with session_scope(engine) as session:
        assert cancel(session, dedupe_key="offer:3:accept-sla") is False
        assert cancel(session, dedupe_key="never-made") is False
