import pytest
from sqlalchemy import text

from revteam.db.session import session_scope
from revteam.leads.intake.forms import HONEYPOT_FIELD, add_form
from revteam.leads.schemas import MAX_FIELD_LENGTH


@pytest.fixture
def auth(bearer, mia):
    return bearer(mia.email)


@pytest.fixture
def form_key(engine):
    with session_scope(engine) as session:
        return add_form(session, name="contact-us", source="website", campaign="spring-launch",
                        redirect_url=None, actor="test").key


def _leads(engine):
    with engine.connect() as connection:
        return connection.execute(text("SELECT l.source, p.email FROM leads l JOIN people p ON p.id = l.person_id")).all()


def test_capturing_one_lead_scores_it(client, auth, engine):
    response = client.post("/api/leads", json={"email": "Ann@Initech.com", "title": "VP Sales", "country": "US"},
                           headers=auth)
    assert response.status_code == 201
    assert response.json()["new_leads"] == 1 and len(response.json()["lead_ids"]) == 1


def test_a_lead_without_contact_is_refused_with_the_reason(client, auth, engine):
    response = client.post("/api/leads", json={"first_name": "Nobody"}, headers=auth)
    assert response.status_code == 400 and "no e-mail and no phone" in response.json()["detail"]
    assert _leads(engine) == []


def test_capture_needs_a_token(client):
    assert client.post("/api/leads", json={"email": "a@initech.com"}).status_code == 401


def test_a_batch_reports_refused_items_by_position(client, auth, engine):
    body = {"leads": [{"email": "a@initech.com"}, {"email": "bad@@x"}, {"email": "A@initech.com"}]}
    report = client.post("/api/leads/batch", json=body, headers=auth).json()
    assert (report["new_leads"], report["merged"]) == (1, 1)
    assert [r["line"] for r in report["refused"]] == [2]


def test_a_batch_over_1000_is_refused_whole(client, auth, engine):
    body = {"leads": [{"email": f"p{i}@initech.com"} for i in range(1001)]}
    assert client.post("/api/leads/batch", json=body, headers=auth).status_code == 422
    assert _leads(engine) == []


def test_a_website_form_posts_without_a_token(client, form_key, engine):
    response = client.post(f"/forms/{form_key}", data={"email": "visitor@initech.com", "first_name": "Vi"})
    assert response.status_code == 201
    assert _leads(engine) == [("website", "visitor@initech.com")]


def test_a_filled_honeypot_lands_nothing_but_looks_accepted(client, form_key, engine):
    response = client.post(f"/forms/{form_key}", data={"email": "bot@spam.com", HONEYPOT_FIELD: "http://spam"})
    assert response.status_code == 201
    assert _leads(engine) == []


def test_an_unknown_form_key_is_not_found(client):
    assert client.post("/forms/nope", data={"email": "a@initech.com"}).status_code == 404


def test_a_sender_posting_too_fast_is_rate_limited(client, form_key, engine):
    codes = [client.post(f"/forms/{form_key}", data={"email": f"v{i}@initech.com"}).status_code for i in range(31)]
    assert codes[:30] == [201] * 30 and codes[30] == 429


def test_a_form_post_cannot_change_the_forms_attribution(client, form_key, engine):
    client.post(f"/forms/{form_key}", data={"email": "v@initech.com", "source": "fake", "campaign": "invented"})
    with engine.connect() as connection:
        campaigns = connection.execute(text("SELECT name FROM campaigns")).scalars().all()
    assert _leads(engine) == [("website", "v@initech.com")] and campaigns == ["spring-launch"]


def test_a_form_post_with_a_json_list_is_a_clear_400(client, form_key):
    response = client.post(f"/forms/{form_key}", json=[{"email": "v@initech.com"}])
    assert response.status_code == 400 and "JSON object" in response.json()["detail"]


def test_an_absurdly_long_field_is_refused_naming_it_by_the_api_and_by_forms(client, auth, form_key, engine):
    """Values longer than their column are cut with a warning; past MAX_FIELD_LENGTH they are refused."""
    huge = "T" * (MAX_FIELD_LENGTH + 1)
    api = client.post("/api/leads", json={"email": "ann@initech.com", "title": huge}, headers=auth)
    assert api.status_code == 422 and api.json()["where"] == "body.title"
    form = client.post(f"/forms/{form_key}", data={"email": "bob@initech.com", "city": huge})
    assert form.status_code == 400 and "form field city" in str(form.json())
    cut = client.post("/api/leads", json={"email": "cy@initech.com", "title": "T" * MAX_FIELD_LENGTH}, headers=auth)
    assert cut.status_code == 201
    assert [email for _, email in _leads(engine)] == ["cy@initech.com"]
