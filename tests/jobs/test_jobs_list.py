import json
from datetime import timedelta

import pytest

from revteam.jobs.runner import run_due
from revteam.jobs.service import due_in_words


@pytest.mark.parametrize(("offset", "words"), [
    (timedelta(hours=3), "due in 3 h"),
    (timedelta(hours=2, minutes=40), "due in 3 h"),
    (timedelta(minutes=25), "due in 25 min"),
    (timedelta(seconds=40), "due in 40 s"),
    (timedelta(days=2, hours=1), "due in 2 d"),
    (-timedelta(minutes=5), "overdue by 5 min"),
    (timedelta(0), "due now"),
])
def test_due_time_is_said_in_human_terms(offset, words, clock):
    assert due_in_words(clock.now + offset, now=clock.now) == words


def test_jobs_list_shows_when_each_job_is_due(cli, db_url, queue, clock):
    queue.add(run_at=clock.after(hours=3), tag="sla", dedupe_key="offer:1:accept-sla")
    result = cli("jobs", "list", "--now", clock.now.isoformat(), "--db", db_url)
    assert result.code == 0, result.err
    assert "test.count" in result.out and "due in 3 h" in result.out


def test_jobs_list_json_names_the_dedupe_key_and_due_time(cli, db_url, queue, clock):
    queue.add(run_at=clock.after(minutes=30), dedupe_key="lead:4:next-step")
    [row] = json.loads(cli("jobs", "list", "--json", "--now", clock.now.isoformat(), "--db", db_url).out)
    assert (row["dedupe_key"], row["due"], row["state"]) == ("lead:4:next-step", "due in 30 min", "due")


def test_jobs_list_keeps_dead_jobs_visible_with_their_error(cli, db_url, engine, queue, clock):
    queue.add(kind="nobody.handles.this", max_attempts=1)
    run_due(engine, now=clock.now, worker_id="w1")
    [row] = json.loads(cli("jobs", "list", "--json", "--db", db_url).out)
    assert row["state"] == "dead" and "no handler registered" in row["last_error"]


def test_jobs_list_hides_finished_jobs(cli, db_url, engine, queue, runs, clock):
    queue.add()
    run_due(engine, now=clock.now, worker_id="w1")
    assert "no jobs due" in cli("jobs", "list", "--db", db_url).out
