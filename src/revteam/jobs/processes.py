"""One tick in several processes: each runs `run_due` (claiming batches of its own, exactly once each:
`FOR UPDATE SKIP LOCKED` on PostgreSQL, leases under SQLite's one writer) until nothing is due, so the
tick uses more than one core; it ends when every one of them has.

The helpers are forked, so they run the handlers, settings and clock this process has; each opens
connections of its own (a connection is never shared across a fork) and starts its own sending threads.
The tick runs with the garbage collector set for batches (see `_collecting_for_batches`), the helpers too.
"""

import gc
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from multiprocessing.connection import Connection

from sqlalchemy import Engine

from revteam.jobs.outcomes import RunSummary
from revteam.jobs.runner import BATCH, run_due

COLLECT_AFTER = 10_000  # allocations between the collector's young passes (Python's default: 700)


@contextmanager
def _collecting_for_batches() -> Iterator[None]:
    """A batch holds its thousands of rows' objects until it commits: at Python's default threshold
    the collector ran thousands of times in a tick, each full pass walking every object of the
    process (modules, mappers, the playbook), 6 s of a 20 s tick of 20,000 steps. Meanwhile the
    objects alive now are kept out of its passes (frozen) and it runs less often."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(COLLECT_AFTER, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _helper(engine: Engine, results: Connection, *, now: datetime, worker_id: str, batch: int) -> None:
    engine.dispose(close=False)  # the parent's pooled connections stay the parent's
    try:
        summary = run_due(engine, now=now, worker_id=worker_id, batch=batch)
        results.send((summary.ran, summary.retried, summary.failed))
    except BaseException as error:
        results.send(f"{type(error).__name__}: {error}")
        raise


def run_due_in_processes(engine: Engine, *, now: datetime, worker_id: str, workers: int,
                         batch: int = BATCH) -> list[RunSummary]:
    """Run every job due at `now` in `workers` processes at once, this one among them (`batch` jobs per
    transaction); what each did, this one's first."""
    with _collecting_for_batches():
        return _run_in_processes(engine, now=now, worker_id=worker_id, workers=workers, batch=batch)


def _run_in_processes(engine: Engine, *, now: datetime, worker_id: str, workers: int, batch: int) -> list[RunSummary]:
    context = multiprocessing.get_context("fork")
    helpers = []
    for number in range(1, workers):
        receiving, results = context.Pipe(duplex=False)
        helper = context.Process(target=_helper, args=(engine, results),
                                 kwargs={"now": now, "worker_id": f"{worker_id}/{number}", "batch": batch})
        helper.start()
        results.close()  # the helper's end: should it die without a word, reading ours ends
        helpers.append((helper, receiving))
    summaries = [run_due(engine, now=now, worker_id=worker_id, batch=batch)]
    for helper, receiving in helpers:
        try:
            outcome = receiving.recv()
        except EOFError:
            outcome = "it exited without a word"
        helper.join()
        if isinstance(outcome, str):
            raise RuntimeError(f"a tick worker process failed: {outcome}")
        summaries.append(RunSummary(*outcome))
    return summaries
