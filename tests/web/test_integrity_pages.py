"""Pages answer a lost race with the Conflict page and a bug with a 500 page that tells nothing of it."""

import logging

from tests.conftest import NEW_USER


def _add_ada(client, token):
    return client.post("/admin/users", data={"csrf_token": token, **NEW_USER, "password": "long-enough-1"})


def test_a_lost_race_on_a_page_is_the_conflict_page(client, sign_in, admin, rival_adds_the_same_user_meanwhile):
    response = _add_ada(client, sign_in(admin))
    assert response.status_code == 409 and "text/html" in response.headers["content-type"]
    assert "a user with this e-mail address was saved first" in response.text


def test_a_bug_on_a_page_is_a_500_page_with_the_traceback_in_the_log(client, sign_in, admin, caplog,
                                                                      team_lookup_bug):
    token = sign_in(admin)
    with caplog.at_level(logging.ERROR, logger="revteam.db.races"):
        response = _add_ada(client, token)
    assert response.status_code == 500 and "text/html" in response.headers["content-type"]
    assert "internal error: it has been logged" in response.text
    assert "foreign key" not in response.text.lower()
    [logged] = caplog.records
    assert "POST /admin/users" in logged.getMessage() and "IntegrityError" in logged.exc_text
