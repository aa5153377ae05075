"""/docs in Chromium with every request off this machine refused: the vendored Swagger UI draws the API."""

from playwright.sync_api import expect


def test_the_api_docs_render_their_operations_offline(page, live_server):
    outside = []

    def only_this_server(route):
        if route.request.url.startswith(live_server):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    page.route("**/*", only_this_server)
    page.goto(f"{live_server}/docs")
    operations = page.locator(".opblock")
    expect(operations.filter(has_text="/api/leads/{lead_id}/accept")).to_have_count(1)
    assert operations.count() > 20
    expect(page.locator(".info .title")).to_contain_text("revteam")
    assert outside == [] and page.errors == []
