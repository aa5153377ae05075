"""The inbox: accept or reject in one request; the lead leaves the inbox."""

import re

from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.events.models import Event


def _events(engine, lead_id):
    with session_scope(engine) as session:
        return list(session.scalars(select(Event.type).where(Event.subject_id == lead_id, Event.subject_type == "lead")))


def test_inbox_lists_offered_lead_with_deadline_and_committee(client, sign_in, alice, routed_lead):
    routed_lead("Nora")
    sign_in(alice)
    html = client.get("/inbox").text
    assert "Nora" in html and "Accept by" in html and "decision maker ✓" in html


def test_accept_removes_lead_and_records_event(client, sign_in, alice, routed_lead, engine):
    lead_id = routed_lead("Nora")
    token = sign_in(alice)
    response = client.post(f"/inbox/{lead_id}/accept", headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert "Accepted lead" in response.text and "0 waiting" in response.text
    assert "lead.accepted" in _events(engine, lead_id)
    assert "Nora" not in client.get("/inbox").text.split("Recent activity")[0]


def test_reject_needs_a_playbook_reason(client, sign_in, alice, routed_lead):
    lead_id = routed_lead()
    token = sign_in(alice)
    response = client.post(f"/inbox/{lead_id}/reject", data={"reason": "too_busy"},
                           headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert response.status_code == 400
    assert "unknown reject reason" in response.text


def test_reject_with_reason_records_it(client, sign_in, alice, routed_lead, engine):
    lead_id = routed_lead()
    token = sign_in(alice)
    response = client.post(f"/inbox/{lead_id}/reject", data={"reason": "not_ready"},
                           headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert "Rejected lead" in response.text
    assert "lead.rejected" in _events(engine, lead_id)


def test_second_accept_of_same_lead_is_refused(client, sign_in, alice, routed_lead):
    lead_id = routed_lead()
    token = sign_in(alice)
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}
    client.post(f"/inbox/{lead_id}/accept", headers=headers)
    response = client.post(f"/inbox/{lead_id}/accept", headers=headers)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#flash"


def test_marketing_has_no_inbox(client, sign_in, mia):
    sign_in(mia)
    assert client.get("/inbox").status_code == 403


def test_the_inbox_shows_a_page_of_the_nearest_deadlines_counts_all_and_links_the_next(
        client, sign_in, alice, routed_lead, monkeypatch):
    monkeypatch.setattr("revteam.web.routes_inbox.INBOX_PAGE", 2)
    names = ["Nora", "Omar", "Pia"]
    for name in names:
        routed_lead(name)
    sign_in(alice)
    first = client.get("/inbox").text
    assert 'data-total="3"' in first and "3 waiting" in first
    shown = [name for name in names if name in first.split("Recent activity")[0]]
    assert len(shown) == 2
    following = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    second = client.get(following).text
    rest = [name for name in names if name in second.split("Recent activity")[0]]
    assert rest == [name for name in names if name not in shown] and "3 waiting" in second
    assert 'rel="next"' not in second
    refused = client.get("/inbox?after=yesterday")
    assert refused.status_code == 400 and "is not a page of the inbox" in refused.text
