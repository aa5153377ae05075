"""The success lead's day in a real Chromium against a real uvicorn server: open a customer from the
list, confirm one promise, dispute another with a reason and record health, without a reload."""

from playwright.sync_api import expect

from tests.web.test_web_customers import customer  # noqa: F401 (the fixture)
from tests.web.conftest import sign_in_browser


def test_the_success_lead_confirms_and_disputes_promises_and_records_health(page, live_server, sam, customer):  # noqa: F811
    account, _ = customer()
    sign_in_browser(page, live_server, sam)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    expect(page.locator("#customer-list")).to_have_attribute("data-total", "1")
    page.locator("#customer-list").get_by_role("link", name="Company 1").click()
    expect(page.locator("h1")).to_contain_text("Company 1")
    page.evaluate("window.notReloaded = true")

    page.get_by_role("button", name="Confirm “SSO”").click()
    expect(page.locator("#flash")).to_contain_text("Promise “SSO” confirmed.")
    page.get_by_label("Why “Salesforce sync” does not hold").fill("Not on the roadmap this year")
    page.get_by_role("button", name="Dispute “Salesforce sync”").click()
    expect(page.locator("#flash")).to_contain_text("Promise “Salesforce sync” disputed.")
    expect(page.locator(".promises")).to_contain_text("Not on the roadmap this year")

    page.get_by_label("Active seats (% used in 30 days)").fill("80")
    page.get_by_label("Key features adopted (%)").fill("60")
    page.get_by_label("Outcome achieved").check()
    page.get_by_label("NPS answer (0–10)").fill("4")
    page.get_by_role("button", name="Record health").click()
    expect(page.locator("#flash")).to_contain_text("Health recorded: success 80, happiness 40.")
    expect(page.locator("#health-history tbody tr")).to_have_count(1)
    expect(page.locator("#health-history")).to_contain_text("unhappy")
    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith(f"/customers/{account}")
    assert page.errors == []
