from revteam.db.session import session_scope
from revteam.users.service import deactivate_user, issue_token


def _token(engine, email):
    with session_scope(engine) as session:
        return issue_token(session, email, name="test", actor="test")


def test_health_needs_no_token(client):
    assert client.get("/health").json() == {"status": "ok"}


def test_openapi_document_is_served(client):
    document = client.get("/openapi.json").json()
    assert document["info"]["title"] == "revteam" and "/api/users/me" in document["paths"]


def test_endpoints_refuse_requests_without_a_token(client):
    response = client.get("/api/users/me")
    assert response.status_code == 401 and "missing API token" in response.json()["detail"]


def test_endpoints_refuse_a_wrong_token(client, alice):
    response = client.get("/api/users/me", headers={"Authorization": "Bearer rt_nope"})
    assert response.status_code == 401


def test_a_valid_token_identifies_its_user(client, engine, alice):
    token = _token(engine, "alice@acme.io")
    response = client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json()["email"] == "alice@acme.io"


def test_a_deactivated_users_token_stops_working(client, engine, alice):
    token = _token(engine, "alice@acme.io")
    with session_scope(engine) as session:
        deactivate_user(session, "alice@acme.io", actor="test")
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_only_admins_list_users(client, engine, alice, admin):
    rep = {"Authorization": f"Bearer {_token(engine, 'alice@acme.io')}"}
    root = {"Authorization": f"Bearer {_token(engine, 'root@acme.io')}"}
    assert client.get("/api/users", headers=rep).status_code == 403
    emails = [user["email"] for user in client.get("/api/users", headers=root).json()]
    assert emails == ["alice@acme.io", "root@acme.io"]
