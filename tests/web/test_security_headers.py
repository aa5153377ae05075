"""Headers every answer carries: nothing signed-in or from the API is cached; over https (the request's
scheme as a trusted proxy reports it, or an https public URL) the cookie is Secure and HSTS is sent."""

from revteam.db.session import session_scope
from revteam.users.service import issue_token
from tests.web.conftest import sign_in_form

HTTPS = {"X-Forwarded-Proto": "https"}


def test_a_signed_in_page_is_never_stored(client, sign_in, alice):
    sign_in(alice)
    assert client.get("/inbox").headers["cache-control"] == "no-store"


def test_every_api_answer_is_never_stored(client, engine, alice):
    with session_scope(engine) as session:
        token = issue_token(session, alice.email, name="test", actor="test")
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"}).headers["cache-control"] == "no-store"
    assert client.get("/api/users/me").headers["cache-control"] == "no-store"


def test_plain_http_gets_no_hsts_and_no_secure_cookie(client, alice):
    response = sign_in_form(client, alice.email)
    assert "strict-transport-security" not in response.headers
    assert "secure" not in response.headers["set-cookie"].lower()


def test_a_forwarded_https_from_an_untrusted_client_changes_nothing(client, alice):
    response = sign_in_form(client, alice.email, **HTTPS)
    assert "strict-transport-security" not in response.headers
    assert "secure" not in response.headers["set-cookie"].lower()


def test_behind_a_trusted_proxy_https_gets_hsts_and_a_secure_cookie(app_with, alice):
    proxied = app_with(trusted_proxies="testclient")
    response = sign_in_form(proxied, alice.email, **HTTPS)
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "; secure" in response.headers["set-cookie"].lower()


def test_an_https_public_url_makes_the_cookie_secure(app_with, alice):
    public = app_with(public_url="https://revteam.acme.io")
    response = sign_in_form(public, alice.email)
    assert "; secure" in response.headers["set-cookie"].lower()
    assert "strict-transport-security" in response.headers
