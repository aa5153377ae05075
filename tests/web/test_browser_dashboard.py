"""The dashboard in Chromium: the vendored Chart.js draws every chart, nothing from a CDN."""

from playwright.sync_api import expect

from tests.web.conftest import sign_in_browser


def test_dashboard_charts_draw_without_console_errors(page, live_server, alice, mia, routed_lead):
    routed_lead()
    outside = []
    page.on("request", lambda request: request.url.startswith(live_server) or outside.append(request.url))
    sign_in_browser(page, live_server, mia)
    page.goto(f"{live_server}/dashboard")
    for chart in ("#mrr-chart", "#funnel-chart"):
        expect(page.locator(chart)).to_have_attribute("data-drawn", "yes")
        assert page.evaluate(f"!!window.Chart.getChart(document.querySelector('{chart}'))")
    assert page.evaluate("document.querySelector('#funnel-chart').width") > 0
    assert page.errors == [] and outside == []


def test_dashboard_number_links_to_its_leads(page, live_server, alice, mia, routed_lead):
    routed_lead("Nora")
    sign_in_browser(page, live_server, mia)
    page.goto(f"{live_server}/dashboard")
    page.locator("#funnel-h ~ .table-wrap a").first.click()
    expect(page.locator("h1")).to_have_text("Leads")
    expect(page.locator("main")).to_contain_text("Nora")
