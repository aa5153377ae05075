"""A kind with a batch form gets its run of jobs at once; should the batch form raise, the run is
undone and its jobs run one by one with the plain handler, so only the bad job fails."""

import pytest

from revteam.jobs import registry
from revteam.jobs.runner import run_due


@pytest.fixture
def as_set(monkeypatch, runs):
    """`test.count` with a batch form that notes each call's tags, then handles each as the plain handler."""
    calls: list[list[str]] = []

    def handle_all(session, payloads, *, now):
        calls.append([payload["tag"] for payload in payloads])
        for payload in payloads:
            runs.handle(session, payload, now=now)

    monkeypatch.setitem(registry.HANDLERS, "test.count", registry.Registered(run=runs.handle, batch=handle_all))
    return calls


def test_a_run_of_one_kind_goes_to_its_batch_form_in_one_call(engine, queue, runs, as_set, clock):
    for tag in ("a", "b", "c"):
        queue.add(tag=tag)
    summary = run_due(engine, now=clock.now, worker_id="w1")
    assert as_set == [["a", "b", "c"]]
    assert (summary.ran, summary.retried) == (3, 0)
    assert runs.by_tag == {"a": 1, "b": 1, "c": 1}


def test_a_raising_batch_form_leaves_only_the_bad_job_failed(engine, queue, runs, as_set, clock):
    runs.fail_times["b"] = 2  # raises in the set, and again alone
    ids = [queue.add(tag=tag) for tag in ("a", "b", "c")]
    summary = run_due(engine, now=clock.now, worker_id="w1")
    assert as_set == [["a", "b", "c"]]  # then one by one with the plain handler
    assert (summary.ran, summary.retried) == (2, 1)
    assert [queue.get(job_id).state for job_id in ids] == ["done", "due", "done"]
    assert queue.get(ids[1]).attempts == 1
    assert runs.by_tag == {"a": 2, "b": 2, "c": 1}  # a and b in the undone set, then each alone
    assert [event.data["attempt"] for event in queue.events("job.failed")] == [1]
