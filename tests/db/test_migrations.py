from sqlalchemy import inspect, text

from revteam.db.migrate import HEAD, current_revision, head_revision, require_current, upgrade
from revteam.db.session import get_engine
from revteam.errors import BadInput

import pytest


def test_init_creates_every_table_at_head(empty_db_url, cli):
    result = cli("init", "--db", empty_db_url)
    assert result.code == 0, result.err
    engine = get_engine(empty_db_url)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"users", "teams", "pods", "accounts", "people", "leads", "campaigns", "events", "playbook_versions"} <= tables


def test_init_twice_is_safe_and_keeps_data(empty_db_url, cli):
    assert cli("init", "--db", empty_db_url).code == 0
    assert cli("users", "add", "alice@acme.io", "--name", "Alice", "--role", "sales", "--db", empty_db_url).code == 0
    again = cli("init", "--db", empty_db_url)
    assert again.code == 0
    assert "already current" in again.out
    listing = cli("users", "list", "--json", "--db", empty_db_url)
    assert "alice@acme.io" in listing.out


def test_init_activates_the_default_playbook_once(empty_db_url, cli):
    cli("init", "--db", empty_db_url)
    cli("init", "--db", empty_db_url)
    with get_engine(empty_db_url).connect() as connection:
        versions = connection.execute(text("SELECT count(*), sum(CASE WHEN active THEN 1 ELSE 0 END) FROM playbook_versions")).one()
    assert tuple(versions) == (1, 1)


def test_a_database_from_a_newer_schema_is_refused(engine, cli, db_url):
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(BadInput, match="newer than this revteam knows"):
        upgrade(engine)
    result = cli("users", "list", "--db", db_url)
    assert result.code == 2
    assert "9999_future" in result.err and "Traceback" not in result.err


def test_commands_refuse_a_database_without_schema(empty_db_url, cli):
    result = cli("users", "list", "--db", empty_db_url)
    assert result.code == 2
    assert "revteam init" in result.err


def test_a_bad_database_url_is_one_clear_line(cli):
    result = cli("init", "--db", "mysql+nosuchdriver://x/y")
    assert result.code == 2
    assert result.err.startswith("error: ") and result.err.count("\n") == 1


def test_require_current_accepts_a_migrated_database(engine):
    require_current(engine)


def test_the_schema_check_knows_the_newest_migration():
    # require_current recognises a current schema by HEAD alone: a migration added without moving
    # HEAD would make every command refuse a freshly upgraded database, or accept an old one.
    assert HEAD == head_revision()
