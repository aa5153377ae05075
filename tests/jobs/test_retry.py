from datetime import timedelta

from revteam.events.service import record
from revteam.jobs import registry
from revteam.jobs.runner import run_due


def test_a_failing_job_is_retried_after_backoff_and_then_succeeds(engine, queue, runs, clock):
    runs.fail_times["mail"] = 1
    job_id = queue.add(tag="mail")
    first = run_due(engine, now=clock.now, worker_id="w1")
    assert (first.ran, first.retried) == (0, 1)
    failed = queue.get(job_id)
    assert (failed.state, failed.attempts, failed.run_at) == ("due", 1, clock.after(minutes=1))
    assert "smtp down for mail" in failed.last_error
    assert run_due(engine, now=clock.after(seconds=59), worker_id="w1").ran == 0
    assert run_due(engine, now=clock.after(minutes=1), worker_id="w1").ran == 1
    assert queue.get(job_id).state == "done"


def test_backoff_doubles_with_each_failure(engine, queue, runs, clock):
    runs.fail_times["mail"] = 3
    job_id = queue.add(tag="mail")
    now = clock.now
    delays = []
    for _ in range(3):
        run_due(engine, now=now, worker_id="w1")
        retry_at = queue.get(job_id).run_at
        delays.append(retry_at - now)
        now = retry_at
    assert delays == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]


def test_each_failure_is_recorded_as_a_job_failed_event(engine, queue, runs, clock):
    runs.fail_times["mail"] = 1
    job_id = queue.add(tag="mail")
    run_due(engine, now=clock.now, worker_id="w1")
    [event] = queue.events("job.failed")
    assert (event.subject_type, event.subject_id) == ("job", job_id)
    assert event.data["attempt"] == 1 and event.data["final"] is False
    assert "smtp down" in event.data["error"]


def test_a_job_is_dead_after_its_max_attempts(engine, queue, runs, clock):
    runs.fail_times["mail"] = 99
    job_id = queue.add(tag="mail", max_attempts=2)
    run_due(engine, now=clock.now, worker_id="w1")
    last = run_due(engine, now=clock.after(hours=1), worker_id="w1")
    assert last.failed == 1
    assert queue.get(job_id).state == "dead"
    assert [event.data["final"] for event in queue.events("job.failed")] == [False, True]
    assert run_due(engine, now=clock.after(days=1), worker_id="w1").total == 0


def test_a_failing_job_does_not_stop_the_others(engine, queue, runs, clock):
    runs.fail_times["broken"] = 1
    queue.add(tag="broken")
    queue.add(tag="fine")
    summary = run_due(engine, now=clock.now, worker_id="w1")
    assert (summary.ran, summary.retried) == (1, 1)
    assert runs.by_tag["fine"] == 1


def test_a_failed_handlers_changes_are_rolled_back(engine, queue, monkeypatch, clock):
    def half_done(session, payload, *, now):
        record(session, type="lead.escalated", subject_type="lead", subject_id=1, actor="test", data={})
        raise RuntimeError("manager lookup failed")

    monkeypatch.setitem(registry.HANDLERS, "test.half", registry.Registered(run=half_done))
    queue.add(kind="test.half")
    run_due(engine, now=clock.now, worker_id="w1")
    assert queue.events("lead.escalated") == []
    assert len(queue.events("job.failed")) == 1


def test_a_job_of_unknown_kind_fails_without_crashing_the_run(engine, queue, clock):
    job_id = queue.add(kind="nobody.handles.this")
    summary = run_due(engine, now=clock.now, worker_id="w1")
    assert summary.retried == 1
    assert "no handler registered" in queue.get(job_id).last_error


def test_a_tick_with_a_failing_job_still_exits_zero(cli, db_url, queue, runs, clock):
    runs.fail_times["mail"] = 1
    queue.add(tag="mail")
    result = cli("tick", "--now", clock.now.isoformat(), "--db", db_url)
    assert result.code == 0
    assert "1 to retry" in result.out
