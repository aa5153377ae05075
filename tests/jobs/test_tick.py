def test_tick_runs_only_the_jobs_due_at_the_given_time(cli, db_url, engine, runs, queue, clock):
    queue.add(run_at=clock.after(hours=-1), tag="due")
    later = queue.add(run_at=clock.after(hours=3), tag="later")
    result = cli("tick", "--now", clock.now.isoformat(), "--db", db_url)
    assert result.code == 0, result.err
    assert "ran 1 job" in result.out
    assert runs.by_tag == {"due": 1}
    assert queue.get(later).state == "due"


def test_tick_again_does_not_rerun_a_finished_job(cli, db_url, engine, runs, queue, clock):
    done = queue.add(tag="once")
    cli("tick", "--now", clock.now.isoformat(), "--db", db_url)
    again = cli("tick", "--now", clock.after(hours=1).isoformat(), "--db", db_url)
    assert "ran 0 jobs" in again.out
    assert runs.by_tag == {"once": 1}
    assert queue.get(done).state == "done"


def test_tick_json_reports_counts(cli, db_url, engine, runs, queue, clock):
    queue.add(tag="x")
    result = cli("tick", "--now", clock.now.isoformat(), "--json", "--db", db_url)
    assert result.out.strip() == '{"ran": 1, "retried": 0, "failed": 0}'


def test_tick_refuses_a_time_that_is_not_iso(cli, db_url):
    result = cli("tick", "--now", "monday morning", "--db", db_url)
    assert result.code == 2
    assert "--now" in result.err and "not an ISO time" in result.err


def test_tick_limit_runs_at_most_that_many(cli, db_url, engine, runs, queue, clock):
    for tag in "abc":
        queue.add(tag=tag)
    result = cli("tick", "--now", clock.now.isoformat(), "--limit", "2", "--db", db_url)
    assert "ran 2 jobs" in result.out
    assert sum(runs.by_tag.values()) == 2


def test_tick_with_two_workers_runs_every_due_job_once(cli, db_url, engine, runs, queue, clock):
    jobs = [queue.add(tag=str(n)) for n in range(30)]  # test.count in the forked worker counts there, not here
    result = cli("tick", "--now", clock.now.isoformat(), "--workers", "2", "--json", "--db", db_url)
    assert result.out.strip() == '{"ran": 30, "retried": 0, "failed": 0}', result.err
    assert {queue.get(job).state for job in jobs} == {"done"}


def test_tick_refuses_a_limit_with_two_workers(cli, db_url):
    result = cli("tick", "--limit", "2", "--workers", "2", "--db", db_url)
    assert result.code == 2
    assert "--limit" in result.err
