"""Search in a real Chromium: type in the layout's search box, see leads, people and accounts, open
what was found, and follow a group's count to its whole list."""

from playwright.sync_api import expect

from tests.web.conftest import sign_in_browser


def _search(page, live_server, words: str) -> None:
    page.goto(f"{live_server}/dashboard")
    box = page.get_by_role("searchbox", name="Search leads, people and accounts")
    box.fill(words)
    box.press("Enter")
    expect(page).to_have_url(f"{live_server}/search?q={words}")


def test_an_admin_types_a_name_in_the_search_box_and_opens_the_lead(page, live_server, admin, make_lead):
    wanted = make_lead(first_name="Theodora")
    make_lead(first_name="Ulrich")
    sign_in_browser(page, live_server, admin)
    _search(page, live_server, "theodora")
    for group in ("leads", "people", "accounts"):
        expect(page.locator(f"#search-{group}")).to_have_attribute("data-total", "1")
    expect(page.locator("#search-people")).to_contain_text("theodora@company1.com")
    expect(page.locator("#search-accounts")).to_contain_text("Company 1")
    expect(page.locator("main")).not_to_contain_text("Ulrich")
    page.locator("#search-leads").get_by_role("link", name=str(wanted), exact=True).click()
    expect(page).to_have_url(f"{live_server}/leads/{wanted}")
    expect(page.locator("main")).to_contain_text("Theodora")
    assert page.errors == []


def test_a_rep_follows_a_groups_count_to_the_whole_list_and_finds_only_their_own(page, live_server, alice, carl,
                                                                              make_lead):
    mine = make_lead("accepted", first_name="Quinn", owner=alice)
    make_lead("accepted", first_name="Quinn", owner=carl)
    sign_in_browser(page, live_server, alice)
    _search(page, live_server, "quinn")
    counts = {group: page.locator(f"#{group}-heading [data-count]") for group in ("leads", "people", "accounts")}
    for count in counts.values():
        expect(count).to_have_attribute("data-count", "1")
    expect(page.locator("#search-accounts")).not_to_contain_text("Company 2")
    counts["people"].click()
    expect(page).to_have_url(f"{live_server}/people?q=quinn")
    expect(page.locator("#people-list")).to_have_attribute("data-total", "1")
    page.go_back()
    counts["leads"].click()
    expect(page.locator("#lead-list")).to_have_attribute("data-total", "1")
    expect(page.locator("#lead-list").get_by_role("link", name=str(mine), exact=True)).to_be_visible()
    assert page.errors == []
