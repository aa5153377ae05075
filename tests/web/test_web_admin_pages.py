"""Admin, playbook and account pages."""

from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.users.models import User


def _user(engine, email):
    with session_scope(engine) as session:
        return session.scalar(select(User).where(User.email == email))


def test_admin_adds_a_user_who_can_sign_in(client, sign_in, admin):
    token = sign_in(admin)
    response = client.post("/admin/users", data={"csrf_token": token, "email": "zoe@acme.io", "name": "Zoe Ae",
                                                 "role": "sales", "sales_role": "ae", "team": "mid-market-ae",
                                                 "password": "long-enough-1"})
    assert "Added zoe@acme.io" in response.text


def test_admin_marks_rep_out_of_office(client, sign_in, admin, alice, engine):
    token = sign_in(admin)
    response = client.post(f"/admin/users/{alice.id}/availability", data={"available": "false"},
                           headers={"X-CSRF-Token": token})
    assert "out of office" in response.text
    assert _user(engine, alice.email).available is False


def test_admin_changes_capacity(client, sign_in, admin, alice, engine):
    token = sign_in(admin)
    client.post(f"/admin/users/{alice.id}/capacity", data={"capacity": "12"}, headers={"X-CSRF-Token": token})
    assert _user(engine, alice.email).capacity == 12


def test_issued_token_is_shown_once_and_works_on_the_api(client, sign_in, admin, alice):
    token = sign_in(admin)
    html = client.post(f"/admin/users/{alice.id}/token", headers={"X-CSRF-Token": token}).text
    api_token = html.split('<code id="new-token">')[1].split("<")[0]
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {api_token}"}).json()["email"] == alice.email
    assert api_token not in client.get("/admin").text


def test_admin_deactivates_user(client, sign_in, admin, alice, engine):
    token = sign_in(admin)
    assert "deactivated" in client.post(f"/admin/users/{alice.id}/deactivate", headers={"X-CSRF-Token": token}).text
    assert _user(engine, alice.email).active is False


def test_playbook_page_shows_definitions_in_words_and_versions(client, sign_in, alice):
    sign_in(alice)
    html = client.get("/playbook").text
    assert "marketing-qualified (MQL)</strong> when fit + engagement reaches <strong>60" in html
    assert "account employees is at least 1000" in html
    assert "Version history" in html and "active" in html


def test_account_page_shows_committee_and_leads(client, sign_in, mia, alice, routed_lead, engine):
    lead_id = routed_lead("Nora")
    sign_in(mia)
    html = client.get("/leads/%d" % lead_id).text
    account_id = int(html.split('href="/accounts/')[1].split('"')[0])
    page = client.get(f"/accounts/{account_id}").text
    assert "decision maker" in page and f'href="/leads/{lead_id}"' in page


def test_account_page_shows_each_committee_role_known_or_missing(client, sign_in, mia, alice, routed_lead):
    lead_id = routed_lead("Nora")
    sign_in(mia)
    account_id = int(client.get("/leads/%d" % lead_id).text.split('href="/accounts/')[1].split('"')[0])
    rows = client.get(f"/accounts/{account_id}").text.split(">Suggested by title</th>")[1]
    assert "<td>decision maker</td><td>known</td>" in rows and "<td>economic buyer</td><td>missing</td>" in rows


def test_api_keeps_json_errors(client):
    response = client.get("/api/users/me")
    assert response.status_code == 401 and response.json()["error"] == "Unauthenticated"


def test_the_add_a_user_form_offers_the_least_privileged_role_first(client, sign_in, admin):
    sign_in(admin)
    form = client.get("/admin").text.split("<h2>Add a user</h2>")[1]
    assert "<option selected>sales</option>" in form and form.count(" selected>") == 1


def test_saving_capacity_says_so(client, sign_in, admin, alice):
    token = sign_in(admin)
    response = client.post(f"/admin/users/{alice.id}/capacity", data={"capacity": "12"}, headers={"X-CSRF-Token": token})
    assert f"Capacity of {alice.name} saved: 12 open leads." in response.text
