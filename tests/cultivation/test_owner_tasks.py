"""Owner tasks: a `via: task` touch gives the lead's owner a task due within the first-touch SLA (business
hours); "My tasks" lists a rep's own, a manager their team's (the one visibility policy), the API and
the CLI the same; done records `task.done` and the touch it stood for, once."""

import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.leads.models import Activity

DUE = datetime(2026, 3, 4, 22, 0, tzinfo=UTC)  # Monday 10:00 New York + 24 business hours: Wednesday 17:00


@pytest.fixture
def tasks_for(engine, make_lead, use_playbook, run_sweep, alice, carl, clock):
    """The near-MQL track's first touch made a task: one lead owned by alice, one by carl (her teammate)."""
    use_playbook("      - touch: roi-calculator", "      - {touch: roi-calculator, via: task}")
    leads = {"alice": make_lead("cultivating", score=50, owner=alice, first_name="Nora"),
             "carl": make_lead("cultivating", score=50, owner=carl, first_name="Omar")}
    run_sweep(clock.now)
    return leads


def _api_tasks(client, bearer, user) -> dict:
    answer = client.get("/api/tasks", headers=bearer(user.email))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_rep_sees_their_own_tasks_and_a_manager_the_teams(tasks_for, client, bearer, alice, dana, bob, clock):
    mine = _api_tasks(client, bearer, alice)
    assert mine["total"] == 1
    [task] = mine["tasks"]
    assert (task["lead_id"], task["lead"], task["owner"]) == (tasks_for["alice"], "Nora Buyer1", alice.email)
    assert task["title"] == "Nora, what would revteam return for Company 1?"
    assert task["source"] == "track:near_mql_decision step 1" and task["due_at"] == DUE.isoformat()
    assert {t["lead_id"] for t in _api_tasks(client, bearer, dana)["tasks"]} == set(tasks_for.values())
    assert _api_tasks(client, bearer, bob) == {"tasks": [], "total": 0}  # another team's rep


def test_done_records_the_event_and_the_touch_once(tasks_for, client, bearer, alice, carl, engine, events_of, clock):
    [task] = _api_tasks(client, bearer, alice)["tasks"]
    assert client.post(f"/api/tasks/{task['id']}/done", headers=bearer(carl.email)).status_code == 404
    answer = client.post(f"/api/tasks/{task['id']}/done", headers=bearer(alice.email))
    assert answer.status_code == 200, answer.text
    assert answer.json()["done_by"] == alice.email
    again = client.post(f"/api/tasks/{task['id']}/done", headers=bearer(alice.email))
    assert again.status_code == 409 and "done already, by alice@acme.io" in again.text
    [done] = events_of(tasks_for["alice"], "task.done")
    assert (done.actor, done.data["task"], done.data["activity"]) == (alice.email, task["id"], "nurture_task")
    with session_scope(engine) as session:
        touches = session.scalars(select(Activity).where(Activity.lead_id == tasks_for["alice"],
                                                         Activity.type == "nurture_task")).all()
        assert [(t.source, t.person_id is not None) for t in touches] == [("track:near_mql_decision step 1", True)]
    assert _api_tasks(client, bearer, alice)["total"] == 0


def test_the_cli_lists_and_completes_tasks(tasks_for, cli, db_url, alice, events_of):
    listed = json.loads(cli("tasks", "list", "--json", "--db", db_url).out)
    assert listed["total"] == 2  # the operator sees every task
    mine = json.loads(cli("tasks", "list", "--as", alice.email, "--json", "--db", db_url).out)
    [task] = mine["tasks"]
    text = cli("tasks", "list", "--as", alice.email, "--db", db_url).out
    assert f"task {task['id']}: lead {tasks_for['alice']} Nora Buyer1, due 2026-03-04 22:00 UTC" in text and "2026-03-04 22:00 UTC" in text and "1 open task" in text
    refused = cli("tasks", "done", str(task["id"]), "--db", db_url)
    assert refused.code == 2 and "--as" in refused.err
    done = cli("tasks", "done", str(task["id"]), "--as", alice.email, "--db", db_url)
    assert done.code == 0 and f"task {task['id']} done" in done.out, done.err
    assert len(events_of(tasks_for["alice"], "task.done")) == 1
    assert json.loads(cli("tasks", "list", "--json", "--db", db_url).out)["total"] == 1


def test_my_tasks_page_counts_what_it_lists(tasks_for, client, sign_in, dana, alice):
    sign_in(dana)
    page = client.get("/tasks").text
    assert '<a href="/tasks"' in page and ">My tasks<" in page  # in the navigation
    count = re.search(r'id="task-count"[^>]*data-count="(\d+)"', page).group(1)
    total = re.search(r'id="task-list" data-total="(\d+)"', page).group(1)
    assert count == total == "2" and len(re.findall(r'<tr id="task-\d+">', page)) == 2
    assert f'<a href="/leads/{tasks_for["carl"]}">Omar Buyer2</a>' in page
