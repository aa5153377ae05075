from datetime import UTC, datetime, timedelta

MONDAY_10 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)



def test_tick_runs_only_the_jobs_due_at_the_given_time(cli, db_url, engine, runs, queue):
    queue.add(run_at=MONDAY_10 - timedelta(hours=1), tag="due")
    later = queue.add(run_at=MONDAY_10 + timedelta(hours=3), tag="later")
    result = cli("tick", "--now", "2026-01-05T10:00:00Z", "--db", db_url)
    assert result.code == 0, result.err
    assert "ran 1 job" in result.out
    assert runs.by_tag == {"due": 1}
    assert queue.get(later).state == "due"


def test_tick_again_does_not_rerun_a_finished_job(cli, db_url, engine, runs, queue):
    done = queue.add(tag="once")
    cli("tick", "--now", "2026-01-05T10:00:00Z", "--db", db_url)
    again = cli("tick", "--now", "2026-01-05T11:00:00Z", "--db", db_url)
    assert "ran 0 jobs" in again.out
    assert runs.by_tag == {"once": 1}
    assert queue.get(done).state == "done"


def test_tick_json_reports_counts(cli, db_url, engine, runs, queue):
    queue.add(tag="x")
    result = cli("tick", "--now", "2026-01-05T10:00:00Z", "--json", "--db", db_url)
    assert result.out.strip() == '{"ran": 1, "retried": 0, "failed": 0}'


def test_tick_refuses_a_time_that_is_not_iso(cli, db_url):
    result = cli("tick", "--now", "monday morning", "--db", db_url)
    assert result.code == 2
    assert "--now" in result.err and "not an ISO time" in result.err


def test_tick_limit_runs_at_most_that_many(cli, db_url, engine, runs, queue):
    for tag in "abc":
        queue.add(tag=tag)
    result = cli("tick", "--now", "2026-01-05T10:00:00Z", "--limit", "2", "--db", db_url)
    assert "ran 2 jobs" in result.out
    assert sum(runs.by_tag.values()) == 2
