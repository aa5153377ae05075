"""The graduation package is frozen when the lead graduates (what came after never changes it), its
months are the playbook's time zone's, leads graduated before packages were kept get one built, and
the inbox reads every offer's package in one query."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from revteam.cultivation.package import graduation_package
from revteam.db.session import session_scope
from revteam.events.service import record
from revteam.leads.models import Activity, Graduation, Lead
from tests.cultivation.test_graduation import BANT

LAST_EVENING_OF_JANUARY = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # already 1 February in Tokyo


def _touch(engine, lead_id: int, at: datetime, kind: str = "webinar_attended") -> None:
    with session_scope(engine) as session:
        lead = session.get(Lead, lead_id)
        session.add(Activity(person_id=lead.person_id, lead_id=lead_id, type=kind, at=at, source="test"))


def _package(engine, lead_id: int, at: datetime) -> dict:
    with session_scope(engine) as session:
        return graduation_package(session, lead_id, viewer=None, now=at)


def test_engagement_months_are_the_playbook_time_zones(engine, alice, mia, cultivated, confirm, use_playbook, clock):
    use_playbook("timezone: America/New_York   #", "timezone: Asia/Tokyo   #")
    lead_id = cultivated()
    _touch(engine, lead_id, LAST_EVENING_OF_JANUARY)
    assert confirm(lead_id, mia, *BANT, at=clock.now)["graduated"]
    package = _package(engine, lead_id, clock.now)
    assert package["engagement_by_month"] == [{"month": "2026-02", "touches": 1, "points": 10}]
    assert package["touches"][0]["month"] == "2026-02"


def test_new_york_keeps_that_touch_in_january(engine, alice, mia, cultivated, confirm, clock):
    lead_id = cultivated()
    _touch(engine, lead_id, LAST_EVENING_OF_JANUARY)
    assert confirm(lead_id, mia, *BANT, at=clock.now)["graduated"]
    assert _package(engine, lead_id, clock.now)["engagement_by_month"][0]["month"] == "2026-01"


def test_the_package_is_frozen_at_graduation_and_a_later_touch_or_score_does_not_change_it(
        engine, alice, mia, cultivated, confirm, clock, cli, db_url):
    lead_id = cultivated()
    _touch(engine, lead_id, clock.after(days=-3))
    assert confirm(lead_id, mia, *BANT, at=clock.now)["graduated"]
    frozen = _package(engine, lead_id, clock.now)
    assert frozen["frozen_at"] == clock.now.isoformat() and len(frozen["touches"]) == 1
    _touch(engine, lead_id, clock.after(hours=2), kind="demo_request")
    with session_scope(engine) as session:
        record(session, type="lead.scored", subject_type="lead", subject_id=lead_id, actor="test",
               at=clock.after(hours=2), data={"total": 99})
    assert _package(engine, lead_id, clock.after(days=1)) == frozen
    shown = cli("leads", "show", str(lead_id), "--db", db_url)
    assert f"package frozen at graduation, {clock.now:%Y-%m-%d %H:%M}" in shown.out, shown.err
    assert json.loads(cli("leads", "show", str(lead_id), "--json", "--db", db_url).out)["graduation"] == frozen


def test_a_lead_graduated_before_packages_were_kept_gets_one_built_from_the_records(
        engine, alice, mia, cultivated, confirm, clock, cli, db_url):
    lead_id = cultivated()
    assert confirm(lead_id, mia, *BANT, at=clock.now)["graduated"]
    with session_scope(engine) as session:
        session.scalar(select(Graduation).where(Graduation.lead_id == lead_id)).package = None
    _touch(engine, lead_id, clock.after(hours=1), kind="demo_request")
    built = _package(engine, lead_id, clock.after(hours=2))
    assert built["frozen_at"] is None and [t["type"] for t in built["touches"]] == ["demo_request"]
    assert "package built from the records as they are now" in cli("leads", "show", str(lead_id), "--db", db_url).out


def test_the_lead_page_and_the_api_say_when_the_package_was_frozen(
        engine, alice, mia, cultivated, confirm, clock, client, sign_in, bearer):
    lead_id = cultivated()
    assert confirm(lead_id, mia, *BANT, at=clock.now)["graduated"]
    story = client.get(f"/api/leads/{lead_id}", headers=bearer(alice.email)).json()
    assert story["graduation"]["frozen_at"] == clock.now.isoformat()
    sign_in(alice)
    assert f"As it stood at graduation (frozen {clock.now:%Y-%m-%d %H:%M} UTC)" in client.get(f"/leads/{lead_id}").text


@pytest.fixture
def statements():
    """Every SQL statement any engine runs while `counting` is on."""
    seen = {"on": False, "count": 0}

    def count(*_):
        seen["count"] += seen["on"]

    event.listen(Engine, "before_cursor_execute", count)
    yield seen
    event.remove(Engine, "before_cursor_execute", count)


def _inbox_statements(client, statements) -> tuple[int, str]:
    statements["on"], statements["count"] = True, 0
    page = client.get("/inbox").text
    statements["on"] = False
    return statements["count"], page


def test_the_inbox_reads_the_packages_of_all_its_offers_at_once(
        engine, alice, mia, cultivated, confirm, clock, client, sign_in, statements):
    sign_in(alice)
    first = cultivated()
    assert confirm(first, mia, *BANT, at=clock.now)["graduated"]
    one, page = _inbox_statements(client, statements)
    assert page.count("As it stood at graduation") == 1
    for _ in range(3):
        assert confirm(cultivated(), mia, *BANT, at=clock.now)["graduated"]
    four, page = _inbox_statements(client, statements)
    assert page.count("As it stood at graduation") == 4
    assert four == one
