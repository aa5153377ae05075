"""The playbook page in Chromium: paste a draft with a higher MQL threshold, read its diff beside the
simulation, activate it, and find the simulation's headline in the version's event."""

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.playbook.versions import activate
from tests.simulation.conftest import NO_MIN_FIT, add_past_lead, playbook_text
from tests.web.conftest import sign_in_browser


def test_a_draft_is_simulated_beside_its_diff_and_activated_from_there(page, live_server, engine, admin, alice):
    with session_scope(engine) as session:
        activate(session, playbook_text(NO_MIN_FIT), source="test")
    yesterday = utcnow() - timedelta(days=1)
    for number, forms in enumerate((2, 3, 5, 8)):
        add_past_lead(engine, number, "US", forms, yesterday + timedelta(minutes=number))
    sign_in_browser(page, live_server, admin)
    page.goto(f"{live_server}/playbook")
    page.locator("textarea[name=draft]").fill(playbook_text(NO_MIN_FIT, ("mql_threshold: 60", "mql_threshold: 95")))
    page.get_by_role("button", name="Simulate").click()
    expect(page.locator("#draft-diff")).to_contain_text("changed mql_threshold: 60 -> 95")
    active, draft = (int(page.locator(f"#mql-{side}").inner_text()) for side in ("active", "draft"))
    assert active > draft
    expect(page.locator("#mql-moves")).to_contain_text(f"{active - draft} would not be any more")
    page.get_by_role("button", name="Activate this draft").click()
    expect(page.locator("h1")).to_contain_text("version")
    assert page.errors == []
    with session_scope(engine) as session:
        event = session.scalars(select(Event).where(Event.type == "playbook.activated").order_by(Event.id.desc())).first()
    seen = event.data["simulation"]
    assert seen["mql"] == {"active": active, "draft": draft} and seen["mql_lost"] == active - draft
    assert seen["leads"] == 4 and len(seen["window"]) == 2
