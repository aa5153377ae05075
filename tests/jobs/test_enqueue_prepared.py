from revteam.db.session import session_scope
from revteam.jobs.service import enqueue


def test_dedupe_keeps_working_after_many_enqueues_on_one_connection(engine, clock):
    """psycopg prepares a statement after 5 runs; the partial-index conflict target must still match."""
    with session_scope(engine) as session:
        ids = [enqueue(session, kind="test.noop", run_at=clock.after(minutes=i), payload={},
                       dedupe_key=f"key-{i % 4}").id for i in range(20)]
    assert len(set(ids)) == 4
