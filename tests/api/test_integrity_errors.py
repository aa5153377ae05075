"""A lost race is a Conflict (409, exit 3); any other integrity error is a bug: 500 or exit 1, with its traceback
where the operator reads it and nothing of it in the client's answer."""

import logging

from sqlalchemy import select

from revteam.users.models import User

from tests.conftest import NEW_USER


def test_a_lost_race_over_the_api_is_a_409_naming_what_was_saved_first(client, as_root, engine,
                                                                         rival_adds_the_same_user_meanwhile):
    response = client.post("/api/users", headers=as_root, json=NEW_USER)
    assert response.status_code == 409, response.text
    assert response.json()["error"] == "Conflict" and "a user with this e-mail address" in response.json()["detail"]
    with engine.connect() as connection:
        assert connection.execute(select(User.name).where(User.email == NEW_USER["email"])).scalars().all() == ["Rival"]


def test_any_other_integrity_error_is_a_500_with_no_internals_and_its_traceback_logged(client, as_root, caplog,
                                                                                         team_lookup_bug):
    with caplog.at_level(logging.ERROR, logger="revteam.db.races"):
        response = client.post("/api/users", headers=as_root, json=NEW_USER)
    assert response.status_code == 500
    assert response.json() == {"error": "InternalError", "detail": "internal error: it has been logged; nothing was saved"}
    [logged] = caplog.records
    assert "POST /api/users" in logged.getMessage() and "IntegrityError" in logged.exc_text
    assert "INSERT INTO users" in logged.exc_text  # the failing statement, for whoever fixes it


def _add_ada(cli, db_url):
    return cli("users", "add", NEW_USER["email"], "--name", NEW_USER["name"], "--role", "sales",
               "--team", NEW_USER["team"], "--db", db_url)


def test_a_lost_race_in_the_cli_exits_3_with_one_line(cli, db_url, rival_adds_the_same_user_meanwhile):
    result = _add_ada(cli, db_url)
    assert result.code == 3 and "a user with this e-mail address was saved first" in result.err
    assert "Traceback" not in result.err


def test_any_other_integrity_error_in_the_cli_exits_1_with_its_traceback(cli, db_url, team_lookup_bug):
    result = _add_ada(cli, db_url)
    assert result.code == 1 and "Traceback" in result.err and "IntegrityError" in result.err
    assert result.err.rstrip().endswith("error: internal error (the traceback above); nothing was saved")
