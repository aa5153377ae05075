"""POST /api/activities: one touch or a batch from another system, refused with a 422 that names the
field (never a 500), landed once however often it is sent."""

import pytest
from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.leads.models import Activity, Lead


@pytest.fixture
def api(client, as_root, clock):
    client.app.state.clock = lambda: clock.now
    return lambda body: client.post("/api/activities", json=body, headers=as_root)


def _touch(**fields) -> dict:
    return {"email": "pat@company1.com", "type": "webinar_attended", "at": "2026-03-02T14:00:00Z", **fields}


def _activity_count(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Activity))


def test_one_touch_lands_on_the_open_lead_and_rescores_it(api, make_lead, engine):
    lead_id = make_lead("cultivating", title="Engineer")
    answer = api(_touch(channel="webinar", campaign="Spring launch", detail="Intro"))
    assert answer.status_code == 201, answer.text
    assert answer.json() | {"batch": None} == {
        "batch": None, "rows": 1, "landed": 1, "touches": 1, "duplicates": 0, "on_leads": 1, "on_people": 0,
        "leads_rescored": 1, "qualified": 0, "refused": [], "lead_ids": [lead_id]}
    with session_scope(engine) as session:
        assert session.get(Lead, lead_id).engagement_score == 10


def test_the_same_touch_sent_again_lands_once(api, make_lead, engine):
    make_lead("cultivating")
    assert api(_touch()).json()["landed"] == 1
    again = api(_touch())
    assert again.status_code == 201 and again.json()["landed"] == 0 and again.json()["duplicates"] == 1
    assert _activity_count(engine) == 1


def test_a_batch_lands_what_it_can_and_refuses_the_rest_by_position(api, make_lead, engine):
    make_lead("cultivating")
    answer = api([_touch(), _touch(email="nobody@nowhere.io"), _touch(type="demo_request", count=2)])
    assert answer.status_code == 201
    body = answer.json()
    assert body["landed"] == 2 and body["touches"] == 3 and body["qualified"] == 1
    assert [(item["line"], item["field"], item["value"]) for item in body["refused"]] == [
        (2, "email", "nobody@nowhere.io")]
    assert _activity_count(engine) == 3


def test_one_touch_refused_is_a_422_naming_its_field(api, make_lead, engine):
    make_lead("cultivating")
    answer = api(_touch(email="nobody@nowhere.io"))
    assert answer.status_code == 422
    assert answer.json()["where"] == "body.one.email" and "nobody has this e-mail" in answer.json()["detail"]
    assert _activity_count(engine) == 0


@pytest.mark.parametrize("body", [
    {"email": "pat@company1.com", "type": "page_visit"},  # no time
    _touch(at="yesterday"),
    _touch(at="1066-10-14T09:00:00Z"),  # before any day the columns keep
    _touch(count=0),
    _touch(count="many"),
    _touch(type=""),
    _touch(type="x" * 41),
    _touch(detail="x" * 201),
    _touch(colour="blue"),  # an unknown field
    _touch(email="pat@@company1.com"),
    _touch(type="page\u0000visit"),
    [],
    [_touch()] * 1001,
    "a touch",
    {"email": ["pat@company1.com"], "type": {}, "at": 7.5e300},
])
def test_bad_input_is_a_422_and_lands_nothing(api, make_lead, engine, body):
    make_lead("cultivating")
    answer = api(body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "ValidationError" and answer.json()["where"].startswith("body")
    assert _activity_count(engine) == 0


def test_posting_activities_needs_a_token(client):
    assert client.post("/api/activities", json=_touch()).status_code == 401
