"""The survey in Chromium: three sales reps answer the form, the results page shows their team and the trend."""

from datetime import timedelta

from playwright.sync_api import expect

from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.survey import rules
from revteam.users.schemas import UserIn
from revteam.users.service import add_user
from tests.web.conftest import sign_in_browser

REPS = ("s1@acme.io", "s2@acme.io", "s3@acme.io")


def test_reps_answer_the_form_and_read_their_teams_stage(page, live_server, engine, admin, mia):
    with session_scope(engine) as session:
        reps = [add_user(session, UserIn(email=email, name=email, role="sales", team="na-sdr", password="correct-horse"),
                         actor="test") for email in REPS]
        rules.open_round(session, name="2026-h2", closes_at=utcnow() + timedelta(days=7), invite=None, actor="test")
    for rep, value in zip(reps, ("4", "3", "2"), strict=True):
        page.context.clear_cookies()
        sign_in_browser(page, live_server, rep)
        page.goto(f"{live_server}/survey")
        page.get_by_role("link", name="Answer round 2026-h2").click()
        for fieldset in page.locator("fieldset").all():
            fieldset.locator(f"input[value='{value}']").check()
        page.get_by_role("button", name="Send my answers").click()
        expect(page.locator("h1")).to_have_text("Survey 2026-h2: results")
    expect(page.locator("[data-team='sales']")).to_have_text("60.0")
    expect(page.locator("main")).to_contain_text("sales: Aligned (3)")
    expect(page.locator("#trend-chart")).to_have_attribute("data-drawn", "yes")
    assert page.errors == []
    page.goto(f"{live_server}/survey/2026-h2")
    expect(page.locator("main")).to_contain_text("your answer is in")
