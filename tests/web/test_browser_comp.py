"""Comp in Chromium: a rep disputes a line of a closed statement, their manager accepts it from the
month view, and the manager's what-if shows the stored (adjusted) pay beside a draft plan's."""

import re

from playwright.sync_api import expect

from tests.comp.scenario import bobs_manager, closed_january
from tests.web.conftest import sign_in_browser


def test_dispute_round_trip_and_what_if_in_the_browser(page, live_server, engine, bob, make_lead, shipped_playbook):
    closed_january(engine, make_lead, bob)
    manager = bobs_manager(engine)
    sign_in_browser(page, live_server, bob)
    page.goto(f"{live_server}/comp/{bob.email}/2026-01")
    first = page.locator("tbody tr").first
    expect(first).to_contain_text("472.50")
    first.get_by_label("Expected").fill("525.00")
    first.get_by_label("Why").fill("no holdback was agreed")
    first.get_by_role("button", name="Dispute").click()
    expect(page.locator("#statement-disputes")).to_contain_text("no holdback was agreed · open")

    page.context.clear_cookies()
    sign_in_browser(page, live_server, manager)
    page.goto(f"{live_server}/comp?period=2026-01")
    row = page.locator("tr[id^='dispute-']")
    row.get_by_label("Note").fill("deal desk agrees")
    row.get_by_role("button", name="Accept").click()
    expect(row).to_contain_text("accepted: deal desk agrees")
    page.get_by_role("link", name=bob.name).click()
    expect(page.locator("tfoot")).to_contain_text("525.00")
    expect(page.locator("main")).to_contain_text("revision 2")

    page.goto(f"{live_server}/comp?period=2026-01")
    page.get_by_role("link", name="What-if on a draft plan").click()
    draft = shipped_playbook.read_text().replace("- {attainment_from: 0, multiplier: 0.5}",
                                                 "- {attainment_from: 0, multiplier: 1}", 1)
    page.get_by_label("From", exact=True).fill("2026-01")
    page.get_by_label("To", exact=True).fill("2026-01")
    page.get_by_label(re.compile("^Or edit the draft")).fill(draft)
    page.get_by_role("button", name="Simulate").click()
    # active = the stored revision 2 (525.00); the draft pays 1050.00 less 10 % holdback = 945.00
    expect(page.locator("#total-active")).to_have_text("525.00")
    expect(page.locator("#total-draft")).to_have_text("945.00")
    expect(page.locator(f"tr[data-rep='{bob.email}']")).to_contain_text("420.00")
    expect(page.locator("#gains-most")).to_have_text(bob.email)
    assert page.errors == []
