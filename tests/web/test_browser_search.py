"""Search in a real Chromium: type in the layout's search box, open the lead found."""

from playwright.sync_api import expect

from tests.web.conftest import PASSWORD


def test_a_rep_types_a_name_in_the_search_box_and_opens_the_lead(page, live_server, admin, make_lead):
    wanted = make_lead(first_name="Theodora")
    make_lead(first_name="Ulrich")
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/dashboard")
    box = page.get_by_role("searchbox", name="Search leads, people and accounts")
    box.fill("theodora")
    box.press("Enter")
    expect(page.locator("#lead-list")).to_have_attribute("data-total", "1")
    page.locator("#lead-list").get_by_role("link", name=str(wanted), exact=True).click()
    expect(page).to_have_url(f"{live_server}/leads/{wanted}")
    expect(page.locator("main")).to_contain_text("Theodora")
    assert page.errors == []
