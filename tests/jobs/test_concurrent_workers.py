from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import insert

from revteam.db.base import utcnow
from revteam.jobs.models import Job
from revteam.jobs.runner import run_due

JOBS = 200


def _many_due_jobs(engine, clock) -> None:
    rows = [{"kind": "test.count", "payload": {"tag": f"job-{n}"}, "state": "due", "run_at": clock.now,
             "attempts": 0, "max_attempts": 5, "created_at": utcnow()} for n in range(JOBS)]
    with engine.begin() as connection:
        connection.execute(insert(Job), rows)


def test_four_workers_at_once_run_every_job_exactly_once(engine, runs, clock):
    _many_due_jobs(engine, clock)
    with ThreadPoolExecutor(max_workers=4) as pool:
        summaries = list(pool.map(lambda n: run_due(engine, now=clock.now, worker_id=f"w{n}"), range(4)))
    assert sum(summary.ran for summary in summaries) == JOBS
    assert sum(runs.by_tag.values()) == JOBS
    assert set(runs.by_tag.values()) == {1}
