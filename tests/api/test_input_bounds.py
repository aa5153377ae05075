"""Every number, text and date a client sends is checked before it reaches the database:
422 naming the field, in the one error body, on SQLite and PostgreSQL alike."""

import pytest
from fastapi.testclient import TestClient

from revteam.api.app import create_app

TOO_BIG = 9999999999999999999  # past a 64-bit integer
LEAD_ACTIONS = ("route", "accept", "reject", "evaluate", "handoff", "touch", "dispose")


@pytest.fixture
def client(db_url):
    return TestClient(create_app(db_url), raise_server_exceptions=False)


@pytest.fixture
def as_bob(bearer, bob) -> dict:
    return bearer(bob.email)


@pytest.fixture
def opportunity(client, as_bob, bob, make_lead) -> int:
    lead_id = make_lead("accepted", owner=bob)
    opened = client.post("/api/opportunities", headers=as_bob,
                         json={"lead_id": lead_id, "amount_minor": 1, "expected_close": "2024-02-01"})
    assert opened.status_code == 201, opened.text
    return opened.json()["id"]


def _refused(response, where: str) -> None:
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "ValidationError" and response.json()["where"] == where, response.json()


def test_a_lead_id_past_64_bits_is_refused_naming_it(client, as_root):
    _refused(client.get(f"/api/leads/{TOO_BIG}", headers=as_root), "path.lead_id")


@pytest.mark.parametrize("action", LEAD_ACTIONS)
def test_every_lead_action_refuses_a_lead_id_past_64_bits(client, as_root, action):
    body = {"reason": "bad_fit", "outcome": "lost"}
    _refused(client.post(f"/api/leads/{TOO_BIG}/{action}", headers=as_root, json=body), "path.lead_id")


def test_closing_a_lost_opportunity_refuses_an_id_past_64_bits(client, as_root):
    _refused(client.post(f"/api/opportunities/{TOO_BIG}/lost", headers=as_root, json={"reason": "price"}),
             "path.opportunity_id")


def test_a_lead_id_in_a_body_past_64_bits_is_refused(client, as_root):
    body = {"lead_id": TOO_BIG, "amount_minor": 1, "expected_close": "2024-02-01"}
    _refused(client.post("/api/opportunities", headers=as_root, json=body), "body.lead_id")


def test_a_promise_id_past_64_bits_is_refused(client, as_root):
    _refused(client.post(f"/api/promises/{TOO_BIG}/confirm", headers=as_root, json={}), "path.promise_id")


def test_a_negative_limit_is_refused_instead_of_listing_every_lead(client, as_root):
    _refused(client.get("/api/leads", headers=as_root, params={"limit": -1}), "query.limit")


def test_a_limit_past_a_thousand_is_refused(client, as_root):
    _refused(client.get("/api/leads", headers=as_root, params={"limit": 1001}), "query.limit")


def test_a_negative_offset_is_refused(client, as_root):
    _refused(client.get("/api/leads", headers=as_root, params={"offset": -5}), "query.offset")


def test_an_mrr_above_32_bits_is_won_and_kept(client, as_bob, opportunity):
    won = client.post(f"/api/opportunities/{opportunity}/won", headers=as_bob, json={
        "plan": "team", "seats": 10, "mrr_minor": 6329777611, "term_months": 12, "start": "2024-02-01"})
    assert won.status_code == 200, won.text
    customer = client.get("/api/customers/company1.com", headers=as_bob).json()
    assert customer["mrr_minor"] == 6329777611


def test_an_mrr_past_the_money_bound_is_refused(client, as_bob, opportunity):
    _refused(client.post(f"/api/opportunities/{opportunity}/won", headers=as_bob, json={
        "plan": "team", "seats": 1, "mrr_minor": TOO_BIG, "term_months": 1, "start": "2024-02-01"}),
        "body.mrr_minor")


def test_seats_past_32_bits_are_refused(client, as_bob, opportunity):
    _refused(client.post(f"/api/opportunities/{opportunity}/won", headers=as_bob, json={
        "plan": "team", "seats": 3000000000, "mrr_minor": 1, "term_months": 1, "start": "2024-02-01"}),
        "body.seats")


def test_a_term_of_centuries_is_refused(client, as_bob, opportunity):
    _refused(client.post(f"/api/opportunities/{opportunity}/won", headers=as_bob, json={
        "plan": "team", "seats": 1, "mrr_minor": 1, "term_months": 2147483647, "start": "2024-02-01"}),
        "body.term_months")


def test_a_start_date_in_year_9999_is_refused(client, as_bob, opportunity):
    _refused(client.post(f"/api/opportunities/{opportunity}/won", headers=as_bob, json={
        "plan": "team", "seats": 1, "mrr_minor": 1, "term_months": 1, "start": "9999-12-31"}), "body.start")


@pytest.mark.parametrize("employees", [3000000000, "99999999999999999999"])
def test_a_company_size_past_32_bits_is_refused(client, as_root, employees):
    body = {"email": "pat@big.example", "company": "Big", "employees": employees}
    _refused(client.post("/api/leads", headers=as_root, json=body), "body.employees")


def test_a_company_size_band_is_still_taken(client, as_root):
    body = {"email": "pat@band.example", "company": "Band", "employees": "10,001+"}
    assert client.post("/api/leads", headers=as_root, json=body).status_code == 201


def test_a_nul_in_a_lead_field_is_refused_naming_it(client, as_root):
    _refused(client.post("/api/leads", headers=as_root, json={"email": "pat@nul.example", "company": "A\x00B"}),
             "body.company")


def test_a_control_character_in_a_query_is_refused(client, as_root):
    _refused(client.get("/api/leads", headers=as_root, params={"state": "new\x00"}), "query.state")


def test_a_note_keeps_its_line_breaks_but_not_a_nul(client, as_root):
    _refused(client.post("/api/leads/1/reject", headers=as_root, json={"reason": "bad_fit", "note": "a\x00b"}),
             "body.note")


def test_a_multi_line_note_passes_the_text_check(client, as_root):
    response = client.post("/api/leads/1/reject", headers=as_root, json={"reason": "bad_fit", "note": "one\ntwo\tthree"})
    assert response.status_code == 404, response.text  # past validation: no lead 1


def test_a_nul_in_a_user_name_is_refused(client, as_root):
    body = {"email": "ada@acme.io", "name": "Ada\x00", "role": "sales"}
    _refused(client.post("/api/users", headers=as_root, json=body), "body.name")


def test_a_month_in_year_10000_is_refused_naming_it(client, as_root):
    response = client.get("/api/metrics/funnel", headers=as_root, params={"to": "10000-01"})
    assert response.status_code == 400 and response.json()["where"] == "to", response.text


def test_a_customer_day_past_the_calendar_bound_is_refused(client, as_root):
    _refused(client.get("/api/customers/acme.io", headers=as_root, params={"today": "9999-12-31"}), "query.today")
