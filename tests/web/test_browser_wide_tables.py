"""The playbook and the dashboard at 1280 px in Chromium: every column of their tables is inside its card."""

from tests.web.conftest import sign_in_browser

INSIDE_ITS_CARD = """() => [...document.querySelectorAll('main th')].filter(th => {
  const cell = th.getBoundingClientRect(), card = th.closest('section').getBoundingClientRect();
  return cell.right > card.right + 1 || cell.width < 10;
}).map(th => th.textContent.trim())"""


def test_every_playbook_column_shows_at_1280_px(page, live_server, mia):
    sign_in_browser(page, live_server, mia)
    page.goto(f"{live_server}/playbook")
    assert page.locator("th", has_text="Points").count() >= 2
    assert page.evaluate(INSIDE_ITS_CARD) == []


def test_every_mrr_column_shows_at_1280_px(page, live_server, mia):
    sign_in_browser(page, live_server, mia)
    page.goto(f"{live_server}/dashboard")
    assert page.locator("th", has_text="Contraction").count() == 1
    assert page.evaluate(INSIDE_ITS_CARD) == []
