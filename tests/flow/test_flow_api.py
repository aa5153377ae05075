"""The lead flow over the REST API, as the story's users."""

import pytest


@pytest.fixture
def as_user(bearer, team, client):
    """POST/GET as one of the story's users."""

    def call(email, method, path, json=None):
        return client.request(method, path, json=json, headers=bearer(email))

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


def test_log_a_meeting_reassign_and_cultivate_over_http(as_user, make_lead, engine):
    lead = make_lead()
    as_user("mia@acme.io", "POST", f"/api/leads/{lead}/route")
    owner = as_user("mia@acme.io", "GET", f"/api/leads/{lead}").json()["owner"]
    other = "carl@acme.io" if owner == "alice@acme.io" else "alice@acme.io"
    as_user(owner, "POST", f"/api/leads/{lead}/accept")
    touched = as_user(owner, "POST", f"/api/leads/{lead}/touch", {"kind": "meeting", "note": "demo booked"})
    assert touched.json()["offer"]["touched_at"]
    assert as_user(owner, "POST", f"/api/leads/{lead}/reassign", {"rep": other, "reason": "x"}).status_code == 403
    moved = as_user("dana@acme.io", "POST", f"/api/leads/{lead}/reassign", {"rep": other, "reason": "vacation"})
    assert moved.json()["owner"] == other and moved.json()["state"] == "routed"
    assert [row["id"] for row in as_user(other, "GET", "/api/leads/mine").json()] == [lead]
    back = as_user("dana@acme.io", "POST", f"/api/leads/{lead}/cultivate", {"reason": "not now"})
    assert back.json()["state"] == "cultivating"


def test_edit_over_http_answers_old_and_new_values(as_user, make_lead):
    lead = make_lead()
    as_user("mia@acme.io", "POST", f"/api/leads/{lead}/route")
    owner = as_user("mia@acme.io", "GET", f"/api/leads/{lead}").json()["owner"]
    edited = as_user(owner, "PATCH", f"/api/leads/{lead}", {"title": "COO", "phone": "+1 212 555 0100"})
    assert edited.json()["changes"] == {"title": {"old": "VP Sales", "new": "COO"},
                                        "phone": {"old": None, "new": "+12125550100"}}
    assert as_user(owner, "PATCH", f"/api/leads/{lead}", {"phone": "nope"}).status_code == 400
    assert as_user("bob@acme.io", "PATCH", f"/api/leads/{lead}", {"title": "CEO"}).status_code == 404


def test_bulk_over_http_reports_done_and_refused(as_user, make_lead):
    leads = [make_lead(), make_lead()]
    for lead in leads:
        as_user("mia@acme.io", "POST", f"/api/leads/{lead}/route")
    answer = as_user("dana@acme.io", "POST", "/api/leads/bulk",
                     {"action": "cultivate", "lead_ids": [*leads, 424242], "reason": "quarter end"}).json()
    assert answer["done"] == leads and answer["refused"] == [{"lead": 424242, "why": "no lead 424242"}]
