"""Who may open a lead page: a rep their own, a manager their team's, marketing all."""


def test_rep_opens_lead_offered_to_them(client, sign_in, alice, routed_lead):
    lead_id = routed_lead("Nora")
    sign_in(alice)
    response = client.get(f"/leads/{lead_id}")
    assert response.status_code == 200
    assert "Nora" in response.text and "routed" in response.text


def test_rep_cannot_open_another_reps_lead(client, sign_in, alice, bob, routed_lead):
    lead_id = routed_lead()
    sign_in(bob)
    response = client.get(f"/leads/{lead_id}")
    assert response.status_code == 404
    assert f"no lead {lead_id}" in response.text


def test_manager_opens_team_members_lead(client, sign_in, alice, dana, routed_lead):
    lead_id = routed_lead()
    sign_in(dana)
    assert client.get(f"/leads/{lead_id}").status_code == 200


def test_marketing_opens_any_lead(client, sign_in, alice, mia, routed_lead):
    lead_id = routed_lead()
    sign_in(mia)
    assert client.get(f"/leads/{lead_id}").status_code == 200


def test_lead_page_shows_score_breakdown_and_routing_reason(client, sign_in, alice, routed_lead):
    lead_id = routed_lead()
    sign_in(alice)
    html = client.get(f"/leads/{lead_id}").text
    assert "senior title" in html and "+15" in html
    assert "na_territory" in html


def test_rep_cannot_open_admin(client, sign_in, alice):
    sign_in(alice)
    assert client.get("/admin").status_code == 403


def test_unknown_lead_is_not_found(client, sign_in, mia):
    sign_in(mia)
    assert client.get("/leads/999999").status_code == 404
