"""My tasks in a real Chromium against a real uvicorn server: a rep finds the task a track gave them in the
navigation, its count matching the list, and marks it done without a reload."""

import re

from playwright.sync_api import expect

from revteam.cultivation.service import sweep
from revteam.db.session import session_scope
from tests.web.conftest import sign_in_browser


def test_a_rep_marks_their_task_done_and_it_lands_on_the_timeline(page, live_server, engine, alice, carl, make_lead,
                                                                  use_playbook, clock):
    use_playbook("      - touch: roi-calculator", "      - {touch: roi-calculator, via: task}")
    lead_id = make_lead("cultivating", score=50, owner=alice, first_name="Nora")
    make_lead("cultivating", score=50, owner=carl, first_name="Omar")  # carl's task: not alice's to see
    with session_scope(engine) as session:
        sweep(session, now=clock.now)
    sign_in_browser(page, live_server, alice)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My tasks").click()
    expect(page).to_have_url(f"{live_server}/tasks")
    expect(page.locator("#task-count")).to_have_attribute("data-count", "1")
    expect(page.locator("#task-list")).to_have_attribute("data-total", "1")
    row = page.locator("#task-list tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name="Nora Buyer1")).to_have_attribute("href", f"/leads/{lead_id}")
    expect(row).to_contain_text("track:near_mql_decision step 1")
    expect(row).to_contain_text("2026-03-04 22:00 UTC")
    page.evaluate("window.notReloaded = true")
    row.get_by_role("button", name=re.compile("^Done: task")).click()
    expect(page.locator("#flash")).to_contain_text("Done: Nora, what would revteam return for Company 1?")
    expect(page.locator("#task-count")).to_have_attribute("data-count", "0")
    expect(page.locator("#task-list")).to_have_attribute("data-total", "0")
    expect(page.locator("#task-list")).to_contain_text("No open task.")
    assert page.evaluate("window.notReloaded") is True
    page.goto(f"{live_server}/leads/{lead_id}")
    expect(page.locator("main")).to_contain_text("task done: Nora, what would revteam return for Company 1?")
    assert page.errors == []
