"""Sign-in sessions live in the database: ending one there ends it for every cookie and every process."""

from playwright.sync_api import expect
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.users.service import deactivate_user
from revteam.users.signin.models import WebSession
from tests.web.conftest import PASSWORD, csrf_of, sign_in_form

COOKIE = "revteam_session"


def _events(engine, type: str) -> list[Event]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Event).where(Event.type == type).order_by(Event.id)))


def _opens_inbox(client, cookie: str) -> bool:
    client.cookies.set(COOKIE, cookie)
    return client.get("/inbox", follow_redirects=False).status_code == 200


def test_a_cookie_saved_before_sign_out_opens_nothing_after_it(client, sign_in, alice):
    token = sign_in(alice)
    saved = client.cookies[COOKIE]
    client.post("/sign-out", data={"csrf_token": token})
    assert not _opens_inbox(client, saved)


def test_sign_out_in_one_process_ends_the_session_in_another(client, other_process, sign_in, alice):
    token = sign_in(alice)
    cookie = client.cookies[COOKIE]
    assert _opens_inbox(other_process, cookie)
    client.post("/sign-out", data={"csrf_token": token})
    assert not _opens_inbox(other_process, cookie)


def test_sign_out_ends_the_users_sessions_on_every_device(client, other_process, sign_in, alice):
    assert sign_in_form(other_process, alice.email).status_code == 303
    token = sign_in(alice)
    client.post("/sign-out", data={"csrf_token": token})
    assert other_process.get("/inbox", follow_redirects=False).status_code == 303
    [signed_out] = _events(client.app.state.engine, "user.signed_out")
    assert signed_out.subject_id == alice.id and len(signed_out.data["sessions"]) == 2


def test_deactivation_ends_the_users_sessions_with_an_event(client, sign_in, alice, engine):
    sign_in(alice)
    with session_scope(engine) as session:
        deactivate_user(session, alice.email, actor="root@acme.io")
    assert client.get("/inbox", follow_redirects=False).status_code == 303
    [ended] = _events(engine, "user.sessions_ended")
    assert (ended.subject_id, ended.actor, ended.data["reason"]) == (alice.id, "root@acme.io", "deactivated")


def test_a_password_set_by_an_admin_ends_the_users_sessions(client, other_process, sign_in, alice, cli, db_url):
    sign_in(alice)
    result = cli("users", "password", alice.email, "--password", "a-new-horse", "--db", db_url)
    assert result.code == 0, result.err
    assert client.get("/inbox", follow_redirects=False).status_code == 303
    assert sign_in_form(other_process, alice.email, "a-new-horse").status_code == 303


def test_changing_ones_own_password_ends_every_session(client, other_process, sign_in, alice):
    assert sign_in_form(other_process, alice.email).status_code == 303
    sign_in(alice)
    token = csrf_of(client.get("/password").text)
    response = client.post("/password", data={"current": PASSWORD, "new": "a-new-horse", "csrf_token": token},
                           follow_redirects=False)
    assert response.headers["location"] == "/sign-in"
    assert other_process.get("/inbox", follow_redirects=False).status_code == 303
    assert sign_in_form(client, alice.email).status_code == 401
    assert sign_in_form(client, alice.email, "a-new-horse").status_code == 303


def test_a_wrong_current_password_changes_nothing(client, sign_in, alice):
    token = sign_in(alice)
    response = client.post("/password", data={"current": "not-my-horse", "new": "a-new-horse", "csrf_token": token})
    assert response.status_code == 403 and "current password is wrong" in response.text
    assert client.get("/inbox", follow_redirects=False).status_code == 200


def test_a_session_left_idle_past_the_limit_ends(client, app_clock, sign_in, alice, engine):
    sign_in(alice)
    app_clock.advance(minutes=59)
    assert client.get("/inbox", follow_redirects=False).status_code == 200
    app_clock.advance(minutes=59)
    assert client.get("/inbox", follow_redirects=False).status_code == 200
    app_clock.advance(minutes=60)
    assert client.get("/inbox", follow_redirects=False).status_code == 303
    with session_scope(engine) as session:
        assert session.scalar(select(WebSession.end_reason)) == "idle"


def test_a_session_in_use_ends_after_its_lifetime(client, app_clock, sign_in, alice):
    sign_in(alice)
    for _ in range(12):
        app_clock.advance(minutes=59)
        assert client.get("/inbox", follow_redirects=False).status_code == 200
    app_clock.advance(minutes=13)
    assert client.get("/inbox", follow_redirects=False).status_code == 303


def test_sign_in_is_an_event_naming_the_session_and_address(client, sign_in, alice, engine):
    sign_in(alice)
    [signed_in] = _events(engine, "user.signed_in")
    with session_scope(engine) as session:
        web_session = session.scalar(select(WebSession))
    assert signed_in.subject_id == alice.id
    assert signed_in.data == {"session": web_session.id, "address": "testclient"}


def test_the_cookie_holds_a_token_whose_hash_alone_is_stored(client, sign_in, alice, engine):
    sign_in(alice)
    with session_scope(engine) as session:
        stored = session.scalar(select(WebSession.token_hash))
    assert stored not in client.cookies[COOKIE] and len(stored) == 64


def test_the_csrf_token_survives_as_long_as_the_session(client, sign_in, alice):
    token = sign_in(alice)
    assert csrf_of(client.get("/inbox").text) == token


def test_in_a_browser_a_cookie_copied_before_sign_out_is_refused_after(page, chromium, live_server, alice):
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("E-mail").fill(alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server}/inbox")
    saved = page.context.storage_state()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server}/sign-in")
    replay = chromium.new_context(storage_state=saved)
    try:
        copy = replay.new_page()
        copy.goto(f"{live_server}/inbox")
        expect(copy).to_have_url(f"{live_server}/sign-in?next=/inbox")
    finally:
        replay.close()
    assert page.errors == []
