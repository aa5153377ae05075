"""The pages in a real Chromium against a real uvicorn server: what a rep and a marketer do."""

import re

from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, sign_in_browser


def test_rep_accepts_one_lead_and_rejects_another_without_reload(page, live_server, alice, routed_lead):
    first, second = routed_lead("Nora"), routed_lead("Omar")
    sign_in_browser(page, live_server, alice)
    expect(page).to_have_url(f"{live_server}/inbox")
    expect(page.locator("#inbox-count")).to_have_text("2 waiting")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name=re.compile(f"^Accept lead {first} ")).click()
    expect(page.locator(f"#offer-{first}")).to_have_count(0)
    card = page.locator(f"#offer-{second}")
    card.get_by_label("Reject reason").select_option("wrong_territory")
    card.get_by_role("button", name=re.compile("^Reject lead")).click()
    expect(card).to_have_count(0)
    expect(page.locator("#inbox-count")).to_have_text("0 waiting")
    expect(page.locator("#activity")).to_contain_text("rejected")
    expect(page.locator("#activity")).to_contain_text("accepted")
    assert page.evaluate("window.notReloaded") is True
    assert page.errors == []


def test_marketer_returns_rejected_lead_to_cultivation(page, live_server, alice, mia, routed_lead, client, sign_in):
    lead_id = routed_lead()
    token = sign_in(alice)
    client.post(f"/inbox/{lead_id}/reject", data={"reason": "not_ready"}, headers={"X-CSRF-Token": token})
    sign_in_browser(page, live_server, mia)
    expect(page).to_have_url(f"{live_server}/cultivation")
    page.get_by_role("button", name=f"Return lead {lead_id} to cultivation").click()
    expect(page.locator("#flash")).to_contain_text(f"Lead {lead_id} returned to cultivation")
    expect(page.locator(f"#rejected-{lead_id}")).to_have_count(0)
    page.goto(f"{live_server}/leads/{lead_id}")
    expect(page.locator("h1")).to_contain_text("cultivating")
    assert page.errors == []


def test_another_reps_lead_is_not_found(page, live_server, alice, bob, routed_lead):
    lead_id = routed_lead()
    sign_in_browser(page, live_server, bob)
    response = page.goto(f"{live_server}/leads/{lead_id}")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Not found")


def test_form_without_csrf_token_is_refused_in_the_browser(page, live_server, alice):
    page.goto(f"{live_server}/sign-in")
    page.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    page.get_by_label("E-mail").fill(alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_response(f"{live_server}/sign-in") as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 403
    expect(page.locator(".flash.error")).to_contain_text("security token")


def test_phone_width_shows_inbox_actions(chromium, live_server, alice, routed_lead):
    lead_id = routed_lead()
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in_browser(page, live_server, alice)
    accept = page.get_by_role("button", name=re.compile(f"^Accept lead {lead_id} "))
    expect(accept).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
