"""Signing in and out of the pages."""

from tests.web.conftest import PASSWORD, csrf_of


def test_page_without_session_redirects_to_sign_in(client):
    response = client.get("/inbox", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/inbox"


def test_sign_in_sends_rep_to_inbox_with_httponly_samesite_cookie(client, alice):
    token = csrf_of(client.get("/sign-in").text)
    response = client.post("/sign-in", data={"email": "ALICE@acme.io", "password": PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    assert response.headers["location"] == "/inbox"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_wrong_password_is_refused_with_message(client, alice):
    token = csrf_of(client.get("/sign-in").text)
    response = client.post("/sign-in", data={"email": alice.email, "password": "wrong-horse", "csrf_token": token})
    assert response.status_code == 401
    assert "wrong e-mail or password" in response.text


def test_sign_in_goes_back_to_the_page_asked_for(client, mia):
    token = csrf_of(client.get("/sign-in?next=/playbook").text)
    response = client.post("/sign-in", data={"email": mia.email, "password": PASSWORD, "csrf_token": token,
                                             "next": "/playbook"}, follow_redirects=False)
    assert response.headers["location"] == "/playbook"


def test_sign_in_never_redirects_to_another_site(client, mia):
    token = csrf_of(client.get("/sign-in").text)
    response = client.post("/sign-in", data={"email": mia.email, "password": PASSWORD, "csrf_token": token,
                                             "next": "//evil.example/"}, follow_redirects=False)
    assert response.headers["location"] == "/cultivation"


def test_sign_out_ends_the_session(client, sign_in, alice):
    token = sign_in(alice)
    client.post("/sign-out", data={"csrf_token": token})
    assert client.get("/inbox", follow_redirects=False).status_code == 303


def test_deactivated_user_is_signed_out(client, sign_in, alice, admin, engine):
    from revteam.db.session import session_scope
    from revteam.users.service import deactivate_user

    sign_in(alice)
    with session_scope(engine) as session:
        deactivate_user(session, alice.email, actor="test")
    assert client.get("/inbox", follow_redirects=False).status_code == 303
