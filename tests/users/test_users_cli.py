import json

from sqlalchemy import text

from revteam.db.session import get_engine


def test_users_add_and_list(cli, db_url):
    added = cli("users", "add", "alice@acme.io", "--name", "Alice", "--role", "sales", "--sales-role", "sdr",
                "--team", "na-sdr", "--territory", "NA", "--capacity", "12", "--db", db_url)
    assert added.code == 0, added.err
    [alice] = json.loads(cli("users", "list", "--json", "--db", db_url).out)
    assert (alice["email"], alice["role"], alice["sales_role"], alice["capacity"], alice["active"]) == (
        "alice@acme.io", "sales", "sdr", 12, True)


def test_an_unknown_role_is_refused_with_exit_2(cli, db_url):
    result = cli("users", "add", "x@acme.io", "--name", "X", "--role", "wizard", "--db", db_url)
    assert result.code == 2
    assert "role" in result.err and "wizard" in result.err
    assert json.loads(cli("users", "list", "--json", "--db", db_url).out) == []


def test_a_duplicate_email_is_refused(cli, db_url, alice):
    result = cli("users", "add", "ALICE@acme.io", "--name", "Again", "--role", "sales", "--db", db_url)
    assert result.code == 2 and "already exists" in result.err


def test_deactivate_marks_user_inactive_and_logs_it(cli, db_url, alice):
    assert cli("users", "deactivate", "alice@acme.io", "--db", db_url).code == 0
    [row] = json.loads(cli("users", "list", "--json", "--db", db_url).out)
    assert row["active"] is False
    with get_engine(db_url).connect() as connection:
        types = connection.execute(text("SELECT type FROM events WHERE subject_type='user' ORDER BY id")).scalars().all()
    assert types == ["user.added", "user.deactivated"]


def test_token_is_shown_once_and_stored_hashed(cli, db_url, alice):
    result = cli("users", "token", "alice@acme.io", "--db", db_url)
    token = result.out.strip()
    assert token.startswith("rt_") and len(token) > 30
    with get_engine(db_url).connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM api_tokens")).scalar_one()
    assert token not in stored and len(stored) == 64


def test_users_list_shows_each_users_team_and_pod(cli, db_url, admin):
    added = cli("users", "add", "ada@acme.io", "--name", "Ada Ae", "--role", "sales", "--team", "mid-market-ae",
                "--pod", "pod-west", "--db", db_url)
    assert added.code == 0, added.err
    listed = json.loads(cli("users", "list", "--json", "--db", db_url).out)
    assert [(user["email"], user["team"], user["pod"]) for user in listed] == [
        ("ada@acme.io", "mid-market-ae", "pod-west"), ("root@acme.io", None, None)]
