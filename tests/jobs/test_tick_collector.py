"""A tick runs with the garbage collector set for batches (jobs/processes.py), and gives it back as it was."""

import gc

from revteam.jobs import registry
from revteam.jobs.processes import COLLECT_AFTER


def test_a_tick_runs_its_jobs_with_the_collector_set_for_batches_then_restores_it(cli, db_url, engine, queue,
                                                                                  clock, monkeypatch):
    seen = []

    def note_collector(session, payload, *, now):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))

    monkeypatch.setitem(registry.HANDLERS, "test.collector", registry.Registered(run=note_collector))
    queue.add(kind="test.collector")
    before = gc.get_threshold(), gc.get_freeze_count()
    result = cli("tick", "--now", clock.now.isoformat(), "--db", db_url)
    assert result.code == 0, result.err
    assert seen == [(COLLECT_AFTER, True)]
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
