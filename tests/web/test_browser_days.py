"""A rep's and a manager's day in a real Chromium against a real uvicorn server, without reloads."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.leads.flow import actions as flow
from revteam.users.models import User
from tests.web.conftest import sign_in_browser


@pytest.fixture
def act_as(engine):
    def run(function, email, **kwargs):
        with session_scope(engine) as session:
            actor = session.scalar(select(User).where(User.email == email))
            return function(session, actor=actor, now=utcnow(), **kwargs)
    return run


def test_the_account_executive_works_a_lead_to_won(page, live_server, alice, bob, routed_lead, act_as):
    lead = routed_lead("Nora")
    act_as(flow.accept_lead, alice.email, lead_id=lead)
    act_as(flow.handoff_lead, alice.email, lead_id=lead)  # the assembly line: to bob, a mid-market AE
    sign_in_browser(page, live_server, bob)
    page.goto(f"{live_server}/my-leads")
    expect(page.locator("#my-leads")).to_have_attribute("data-total", "1")
    page.locator("#my-leads").get_by_role("link", name=str(lead)).click()
    expect(page.locator("h1")).to_contain_text("routed")
    page.evaluate("window.notReloaded = true")

    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator("#flash")).to_contain_text("Accepted: first contact due by")
    expect(page.locator("h1 .badge")).to_have_text("accepted")

    page.get_by_label("Activity").select_option("call")
    page.get_by_label("What happened").fill("Talked budget and timing")
    page.get_by_role("button", name="Log activity").click()
    expect(page.locator("#flash")).to_contain_text("Logged the call. The first-touch clock stopped.")
    expect(page.locator("#timeline")).to_contain_text("Talked budget and timing")

    page.get_by_label("Amount (USD)").fill("24,000")
    page.get_by_label("Expected close").fill("2026-06-30")
    page.get_by_role("button", name="Open opportunity").click()
    expect(page.locator("#opportunity")).to_contain_text("$24,000")

    page.get_by_label("Plan").fill("Growth")
    page.get_by_label("Seats").fill("20")
    page.get_by_label("MRR (USD)").fill("2000")
    page.get_by_label("Start").fill("2026-04-01")
    page.get_by_label("Promises to success").fill("SSO before rollout")
    page.get_by_role("button", name="Won", exact=True).click()
    expect(page.locator("#flash")).to_contain_text("Won: the customer and its handoff to success are made.")
    expect(page.locator("h1 .badge")).to_have_text("won")
    expect(page.get_by_role("button", name="Log activity")).to_have_count(0)  # no work is left on a won lead
    assert page.evaluate("window.notReloaded") is True
    assert page.errors == []


def test_the_manager_reassigns_sends_to_cultivation_in_bulk_and_evaluates(page, live_server, alice, carl, dana,
                                                                          routed_lead, act_as):
    moved, rejected = routed_lead("Nora"), routed_lead("Omar")
    act_as(flow.reject_lead, _owner_email(act_as, rejected), lead_id=rejected, reason="not_ready")
    sign_in_browser(page, live_server, dana)

    page.goto(f"{live_server}/leads/{moved}")
    current = _owner_email(act_as, moved)
    other = "carl@acme.io" if current == "alice@acme.io" else "alice@acme.io"
    page.get_by_label("Reassign to").select_option(other)
    page.get_by_label("Reason for the reassignment").fill("on leave this week")
    page.get_by_role("button", name="Reassign").click()
    expect(page.locator("#flash")).to_contain_text(f"Reassigned to {other}; they were told.")
    expect(page.locator("#timeline")).to_contain_text("on leave this week")

    page.goto(f"{live_server}/leads/{rejected}")
    page.get_by_role("button", name="Evaluate: back to cultivation").click()
    expect(page.locator("#flash")).to_contain_text("Evaluated: returned to cultivation")
    expect(page.locator("h1 .badge")).to_have_text("cultivating")

    page.goto(f"{live_server}/leads?state=routed")
    page.get_by_text(re.compile("^Act on these 1 leads")).click()
    page.get_by_label("Bulk action").select_option("cultivate")
    page.get_by_label("Why, for the record").fill("quarter-end clean-up")
    page.get_by_role("button", name="Apply to ticked leads").click()
    expect(page.locator("#bulk-result")).to_contain_text(f"Sent to cultivation: 1 lead ({moved})")
    page.goto(f"{live_server}/leads/{moved}")
    expect(page.locator("h1 .badge")).to_have_text("cultivating")
    assert page.errors == []


def _owner_email(act_as, lead_id):
    return act_as(lambda session, actor, now: flow.lead_status(session, lead_id).owner, "root@acme.io")
