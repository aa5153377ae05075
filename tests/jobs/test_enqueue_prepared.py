from datetime import UTC, datetime, timedelta

from revteam.db.session import session_scope
from revteam.jobs.service import enqueue


def test_dedupe_keeps_working_after_many_enqueues_on_one_connection(engine):
    """psycopg prepares a statement after 5 runs; the partial-index conflict target must still match."""
    run_at = datetime(2026, 1, 5, 10, tzinfo=UTC)
    with session_scope(engine) as session:
        ids = [enqueue(session, kind="test.noop", run_at=run_at + timedelta(minutes=i), payload={},
                       dedupe_key=f"key-{i % 4}").id for i in range(20)]
    assert len(set(ids)) == 4
