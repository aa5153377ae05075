"""The scorecards in Chromium, on the hand-built story of test_gtm_story.py: the shared goals, then the
same goals per rep, and a rep's figure opens exactly the leads it counts."""

import sys
from pathlib import Path

from playwright.sync_api import expect


sys.path.insert(0, str(Path(__file__).parents[1] / "metrics"))
from test_gtm_story import outbox, story  # noqa: E402, F401 - fixtures
from tests.web.conftest import sign_in_browser


def test_an_admin_reads_the_goals_per_rep_and_opens_a_reps_won_leads(page, live_server, story, admin):
    sign_in_browser(page, live_server, admin)
    page.goto(f"{live_server}/scorecards?from=2026-02&to=2026-03")
    expect(page.locator("#shared-goals a[aria-label='2 won leads']")).to_be_visible()
    page.get_by_role("link", name="By rep").click()
    expect(page).to_have_url(f"{live_server}/scorecards?by=rep&from=2026-02&to=2026-03")
    winner = page.locator(f"#group-goals tr[data-group='{story['reps']['fair_game']}']")
    expect(winner.locator("td").nth(1)).to_have_text("2")
    rejecter = page.locator(f"#group-goals tr[data-group='{story['reps']['rejected_by']}']")
    expect(rejecter.locator("td").nth(1)).to_have_text("0")
    page.get_by_role("link", name="By pod").click()  # the story has no pods: the header, no rows
    expect(page.locator("#group-goals tbody tr")).to_have_count(0)
    page.get_by_role("link", name="By rep").click()
    page.locator(f"#group-goals tr[data-group='{story['reps']['fair_game']}'] td").nth(1).locator("a").click()
    expect(page.locator("[data-total]")).to_have_attribute("data-total", "2")
    assert page.errors == []
