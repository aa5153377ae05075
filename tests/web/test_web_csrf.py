"""Every form needs this session's CSRF token."""

from tests.web.conftest import PASSWORD


def test_form_without_csrf_token_is_refused(client, alice):
    client.get("/sign-in")
    response = client.post("/sign-in", data={"email": alice.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "security token" in response.text


def test_form_with_another_sessions_token_is_refused(client, sign_in, alice, routed_lead):
    lead_id = routed_lead()
    sign_in(alice)
    response = client.post(f"/inbox/{lead_id}/accept", headers={"X-CSRF-Token": "not-this-sessions-token"})
    assert response.status_code == 403


def test_htmx_header_token_is_accepted(client, sign_in, alice, routed_lead):
    lead_id = routed_lead()
    token = sign_in(alice)
    response = client.post(f"/inbox/{lead_id}/accept", headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert response.status_code == 200
