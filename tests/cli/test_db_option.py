"""`--db URL` works before any command as after it: the one option on the top-level command."""

import pytest

from revteam.config import get_settings


@pytest.fixture
def nowhere(monkeypatch, tmp_path):
    """The environment points at a database that does not exist, so only --db can reach the real one."""
    monkeypatch.setenv("REVTEAM_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'none.db'}")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.parametrize("command", [("jobs", "list"), ("users", "list"), ("playbook", "versions")])
def test_db_before_the_command_opens_that_database(cli, db_url, nowhere, command):
    assert cli(*command).code == 2
    result = cli("--db", db_url, *command)
    assert result.code == 0, result.err


def test_the_commands_own_db_wins(cli, db_url, nowhere, tmp_path):
    result = cli("--db", f"sqlite:///{tmp_path / 'missing' / 'other.db'}", "users", "list", "--db", db_url)
    assert result.code == 0, result.err
