import pytest
from fastapi.testclient import TestClient

from revteam.api.app import create_app
from revteam.db.session import session_scope
from revteam.users.service import issue_token


@pytest.fixture
def client(db_url):
    return TestClient(create_app(db_url))


@pytest.fixture
def as_user(engine, team, client):
    """POST/GET as one of the story's users."""

    def call(email, method, path, json=None):
        with session_scope(engine) as session:
            token = issue_token(session, email, name="test", actor="test")
        return client.request(method, path, json=json, headers={"Authorization": f"Bearer {token}"})

    return call


def test_marketing_routes_and_the_rep_accepts_over_http(as_user, make_lead):
    lead = make_lead()
    routed = as_user("mia@acme.io", "POST", f"/api/leads/{lead}/route")
    assert routed.status_code == 200 and routed.json()["owner"] == "alice@acme.io"
    accepted = as_user("alice@acme.io", "POST", f"/api/leads/{lead}/accept")
    assert accepted.json()["state"] == "accepted" and accepted.json()["offer"]["first_touch_by"]


def test_reject_evaluate_touch_and_dispose_over_http(as_user, make_lead):
    lead = make_lead()
    as_user("mia@acme.io", "POST", f"/api/leads/{lead}/route")
    rejected = as_user("alice@acme.io", "POST", f"/api/leads/{lead}/reject", {"reason": "no_capacity", "note": "full"})
    assert rejected.json()["state"] == "rejected"
    assert as_user("mia@acme.io", "POST", f"/api/leads/{lead}/evaluate", {}).json()["owner"] == "carl@acme.io"
    as_user("carl@acme.io", "POST", f"/api/leads/{lead}/accept")
    assert as_user("carl@acme.io", "POST", f"/api/leads/{lead}/touch").status_code == 200
    disposed = as_user("carl@acme.io", "POST", f"/api/leads/{lead}/dispose", {"outcome": "not_a_lead"})
    assert disposed.json()["state"] == "not_a_lead"


def test_a_rep_may_not_accept_a_lead_offered_to_someone_else(as_user, make_lead):
    lead = make_lead()
    as_user("mia@acme.io", "POST", f"/api/leads/{lead}/route")
    response = as_user("carl@acme.io", "POST", f"/api/leads/{lead}/accept")
    assert response.status_code == 404 and response.json()["detail"] == f"no lead {lead}"


def test_an_illegal_move_is_409_naming_the_lead(as_user, make_lead):
    lead = make_lead()
    response = as_user("root@acme.io", "POST", f"/api/leads/{lead}/accept")
    assert response.status_code == 409 and f"lead {lead} is mql" in response.json()["detail"]


def test_unknown_reject_reason_is_400(as_user, make_lead):
    lead = make_lead()
    as_user("mia@acme.io", "POST", f"/api/leads/{lead}/route")
    response = as_user("alice@acme.io", "POST", f"/api/leads/{lead}/reject", {"reason": "meh"})
    assert response.status_code == 400 and response.json()["where"] == "reason"


def test_a_rep_sees_only_their_own_leads(as_user, make_lead):
    mine, other = make_lead(), make_lead()
    as_user("mia@acme.io", "POST", f"/api/leads/{mine}/route")
    listed = as_user("alice@acme.io", "GET", "/api/leads").json()
    assert [lead["id"] for lead in listed] == [mine]
    assert as_user("alice@acme.io", "GET", f"/api/leads/{other}").status_code == 404
    story = as_user("alice@acme.io", "GET", f"/api/leads/{mine}").json()
    assert story["state"] == "routed" and story["events"][0]["type"] == "lead.routed"


def test_manager_lists_leads_by_state(as_user, make_lead):
    lead = make_lead()
    as_user("mia@acme.io", "POST", f"/api/leads/{lead}/route")
    listed = as_user("dana@acme.io", "GET", "/api/leads?state=routed&owner=alice@acme.io").json()
    assert [row["id"] for row in listed] == [lead]
