"""Opportunities, promises and revenue metrics over the REST API."""


def test_a_deal_won_over_the_api_is_in_the_revenue_metrics(bearer, client, engine, bob, sam, make_lead):
    lead_id = make_lead("accepted", owner=bob)
    as_bob = bearer(bob.email)
    opened = client.post("/api/opportunities", headers=as_bob,
                         json={"lead_id": lead_id, "amount_minor": 120000, "expected_close": "2024-02-01"})
    assert opened.status_code == 201, opened.text
    won = client.post(f"/api/opportunities/{opened.json()['id']}/won", headers=as_bob, json={
        "plan": "team", "seats": 10, "mrr_minor": 10000, "term_months": 1, "start": "2024-02-01",
        "promises": ["SSO"]})
    assert won.status_code == 200, won.text
    report = client.get("/api/metrics/revenue", headers=as_bob, params={"from": "2024-02", "to": "2024-02"}).json()
    assert report["months"][0]["new"] == 10000


def test_a_rep_cannot_dispute_a_promise_over_the_api(bearer, client, engine, bob, make_lead):
    lead_id = make_lead("accepted", owner=bob)
    as_bob = bearer(bob.email)
    opened = client.post("/api/opportunities", headers=as_bob,
                         json={"lead_id": lead_id, "amount_minor": 1, "expected_close": "2024-02-01"}).json()
    client.post(f"/api/opportunities/{opened['id']}/won", headers=as_bob, json={
        "plan": "team", "seats": 1, "mrr_minor": 1, "term_months": 1, "start": "2024-02-01", "promises": ["SSO"]})
    promise_id = client.get("/api/customers/company1.com", headers=as_bob).json()["handoffs"][0]["promises"][0]["id"]
    response = client.post(f"/api/promises/{promise_id}/dispute", headers=as_bob, json={})
    assert response.status_code == 403


def test_another_rep_cannot_open_an_opportunity_on_a_lead_that_is_not_theirs(bearer, client, engine, bob, alice,
                                                                             make_lead):
    lead_id = make_lead("accepted", owner=bob)
    response = client.post("/api/opportunities", headers=bearer(alice.email),
                           json={"lead_id": lead_id, "amount_minor": 120000, "expected_close": "2024-02-01"})
    assert response.status_code == 404 and response.json()["detail"] == f"no lead {lead_id}"
