"""A bad setting stops any command with one line naming the variable and the problem, exit code 2
(through the real `revteam` entry point in a process of its own, as a shell would run it)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from revteam.config import UNSAFE_SECRET_KEY, InvalidSettings, Settings

SRC = Path(__file__).parents[1] / "src"


def _revteam(*args: str, **settings: str) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("REVTEAM_")}
    environment |= {"PYTHONPATH": str(SRC), **{f"REVTEAM_{name.upper()}": value for name, value in settings.items()}}
    return subprocess.run([sys.executable, "-m", "revteam", *args], env=environment, capture_output=True,
                          text=True, timeout=60)


def test_a_short_secret_key_stops_serve_with_one_line(tmp_path):
    result = _revteam("serve", "--db", f"sqlite:///{tmp_path / 'none.db'}", secret_key="k")
    assert result.returncode == 2
    assert result.stderr == "error: REVTEAM_SECRET_KEY: string should have at least 32 characters\n"
    assert result.stdout == ""


def test_a_bad_number_stops_any_command_naming_the_variable(tmp_path):
    result = _revteam("users", "list", "--db", f"sqlite:///{tmp_path / 'none.db'}", signin_window_minutes="soon")
    assert result.returncode == 2
    assert result.stderr.startswith("error: REVTEAM_SIGNIN_WINDOW_MINUTES: input should be a valid integer")
    assert len(result.stderr.splitlines()) == 1


def test_every_bad_setting_is_named_on_the_one_line(tmp_path):
    result = _revteam("init", "--db", f"sqlite:///{tmp_path / 'x.db'}", secret_key="short", session_idle_minutes="0")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "REVTEAM_SECRET_KEY: " in line and "REVTEAM_SESSION_IDLE_MINUTES: input should be greater than or equal to 1" in line
    assert not (tmp_path / "x.db").exists()


def test_the_secret_key_value_is_never_printed():
    result = _revteam("users", "list", secret_key="my-too-short-secret")
    assert "my-too-short-secret" not in result.stderr + result.stdout


def test_help_still_works_with_a_bad_setting():
    result = _revteam("--help", secret_key="k")
    assert result.returncode == 0 and "Usage" in result.stdout


def test_a_command_that_reads_no_setting_runs_beside_a_bad_one():
    playbook = SRC / "revteam" / "playbook" / "default_playbook.yaml"
    result = _revteam("playbook", "validate", str(playbook), secret_key="k")
    assert result.returncode == 0, result.stderr
    assert "valid playbook" in result.stdout


def test_a_subcommands_help_works_with_a_bad_setting():
    result = _revteam("leads", "list", "--help", secret_key="k")
    assert result.returncode == 0 and "Usage" in result.stdout


def test_a_flag_that_is_no_yes_or_no_is_named(tmp_path):
    result = _revteam("users", "list", "--db", f"sqlite:///{tmp_path / 'none.db'}", smtp_tls="maybe")
    assert result.returncode == 2
    assert result.stderr == "error: REVTEAM_SMTP_TLS: input should be a valid boolean, unable to interpret input\n"


def test_settings_are_read_from_variables_in_any_case_and_typed():
    settings = Settings.from_environment({"REVTEAM_SMTP_PORT": "2525", "revteam_smtp_tls": "Yes",
                                          "REVTEAM_TRUSTED_PROXIES": " 10.0.0.9, ,testclient", "OTHER_SMTP_PORT": "1"})
    assert (settings.smtp_port, settings.smtp_tls, settings.trusted_proxies) == (2525, True, ["10.0.0.9", "testclient"])
    assert settings.secret_key == UNSAFE_SECRET_KEY and settings.smtp_user is None


def test_a_bad_value_beside_one_out_of_bounds_names_both_in_field_order():
    with pytest.raises(InvalidSettings) as refused:
        Settings.from_environment({"REVTEAM_SIGNIN_WINDOW_MINUTES": "0", "REVTEAM_SMTP_PORT": "twenty-five"})
    assert list(refused.value.problems) == ["smtp_port", "signin_window_minutes"]


def test_settings_built_in_code_are_held_to_the_same_bounds():
    with pytest.raises(InvalidSettings, match="REVTEAM_SESSION_HOURS: input should be greater than or equal to 1"):
        Settings(session_hours=0)
