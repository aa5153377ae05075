"""The command line loads the heavy parts only for the commands that use them (checked in a fresh
interpreter, by what is in sys.modules: no timing)."""

import json
import subprocess
import sys

import pytest

HEAVY = ("numpy", "sklearn", "rapidfuzz", "phonenumbers.geocoder", "phonenumbers.geodata", "fastapi", "jinja2", "sqlalchemy")


def _loaded_after(code: str, watched: tuple[str, ...] = HEAVY) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(set(sys.modules) & set({list(watched)!r}))))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.splitlines()[-1])


def test_importing_the_command_line_loads_no_heavy_module():
    assert _loaded_after("import revteam.cli.main") == []


def test_the_top_level_help_loads_no_heavy_module():
    code = ("import sys\nfrom revteam.cli.main import run\nsys.argv = ['revteam', '--help']\n"
            "try:\n    run()\nexcept SystemExit:\n    pass")
    assert _loaded_after(code) == []


# What no help needs: the database, the settings, pydantic behind them, the web stack, YAML.
NOT_FOR_A_HELP = (*HEAVY, "pydantic", "pydantic_settings", "yaml", "alembic", "starlette", "httpx", "holidays")
# revteam's own modules a help may load beside its command's module: the shared CLI options and the
# constants its options are built from (scorecard teams, success signals, the month type).
LIGHT = {"revteam", "revteam.errors", "revteam.periods", "revteam.cli", "revteam.cli.main", "revteam.cli.options",
         "revteam.cli.common", "revteam.metrics", "revteam.metrics.scorecard_kinds", "revteam.revenue",
         "revteam.revenue.signals"}
NESTED = [("customers", "promise"), ("leads", "list"), ("jobs", "list"), ("metrics", "scorecard"), ("import", "leads")]


def _commands() -> list[tuple[str, ...]]:
    from revteam.cli.main import COMMANDS

    return [(name,) for name in COMMANDS] + NESTED


def _loaded_by_help(*words: str) -> list[str]:
    code = ("import json, sys\nfrom revteam.cli.main import run\n"
            f"sys.argv = ['revteam', *{list(words)!r}, '--help']\n"
            "try:\n    run()\nexcept SystemExit as exit_:\n    assert not exit_.code, exit_.code\n"
            "print(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage" in result.stdout
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_a_commands_help_loads_only_that_commands_module(words):
    from revteam.cli.main import COMMANDS

    loaded = _loaded_by_help(*words)
    assert sorted(set(loaded) & set(NOT_FOR_A_HELP)) == []
    own = f"revteam.cli.{COMMANDS[words[0]][0]}"
    assert sorted(m for m in loaded if m.startswith("revteam") and m not in LIGHT | {own}) == []


def test_a_command_still_loads_what_it_uses(tmp_path, db_url):
    leads = tmp_path / "leads.csv"
    leads.write_text("email,first_name,last_name,company,phone\n"
                     "ana@acme.example,Ana,Lima,Acme Inc,+1 415 555 0100\n", encoding="utf-8")
    code = ("import sys\nfrom revteam.cli.main import run\n"
            f"sys.argv = ['revteam', '--db', {db_url!r}, 'import', 'leads', {str(leads)!r}, '--json']\n"
            "try:\n    run()\nexcept SystemExit as exit_:\n    assert not exit_.code, exit_.code")
    assert {"sqlalchemy", "rapidfuzz", "phonenumbers"} <= set(_loaded_after(code, (*HEAVY, "phonenumbers")))


def _validating(playbook) -> str:
    return ("import sys\nfrom revteam.cli.main import run\n"
            f"sys.argv = ['revteam', 'playbook', 'validate', {str(playbook)!r}]\n"
            "try:\n    run()\nexcept SystemExit as exit_:\n    assert not exit_.code, exit_.code")


def test_validating_a_playbook_loads_no_database_or_web_module(shipped_playbook):
    assert _loaded_after(_validating(shipped_playbook)) == []


def test_checking_the_holiday_country_loads_no_countrys_calendar(shipped_playbook):
    code = (_validating(shipped_playbook) + "\nimport json\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('holidays.countries'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "valid playbook" in result.stdout
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_a_reading_command_on_a_current_database_loads_no_migration_tool_or_other_domain(db_url):
    code = ("import sys\nfrom revteam.cli.main import run\n"
            f"sys.argv = ['revteam', '--db', {db_url!r}, 'jobs', 'list', '--json']\n"
            "try:\n    run()\nexcept SystemExit as exit_:\n    assert not exit_.code, exit_.code\n"
            "import json\nprint(json.dumps(sorted(m for m in sys.modules if m == 'alembic'"
            " or m.startswith(('revteam.leads', 'revteam.cultivation', 'revteam.routing', 'revteam.metrics')))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_the_scoring_commands_load_scikit_learn_only_to_train(db_url):
    code = ("import sys\nfrom revteam.cli.main import run\n"
            f"sys.argv = ['revteam', '--db', {db_url!r}, 'scoring', 'predictions', '--json']\n"
            "try:\n    run()\nexcept SystemExit as exit_:\n    assert exit_.code == 2, exit_.code")
    assert "sklearn" not in _loaded_after(code)


def test_listing_jobs_loads_no_web_stack_phone_data_or_numeric_library(db_url):
    code = ("import sys\nfrom revteam.cli.main import run\n"
            f"sys.argv = ['revteam', '--db', {db_url!r}, 'jobs', 'list', '--json']\n"
            "try:\n    run()\nexcept SystemExit as exit_:\n    assert not exit_.code, exit_.code")
    assert _loaded_after(code) == ["sqlalchemy"]


# Loaded by the one function that uses each: posting to a webhook, building a business calendar.
SENDING_AND_CALENDARS = ("holidays", "httpx")


def test_the_lead_flow_loads_the_http_client_and_holiday_calendars_only_when_it_uses_them():
    assert _loaded_after("import revteam.leads.flow.actions", SENDING_AND_CALENDARS) == []
    code = ("from datetime import time\nfrom revteam.routing.sla import BusinessCalendar\n"
            "BusinessCalendar.with_public_holidays('UTC', time(9), time(17), country='US', years=[2026])\n"
            "from revteam.notify.webhook import post_webhook\n"
            "try:\n    post_webhook(url='http://127.0.0.1:9/', message={})\nexcept Exception:\n    pass")
    assert _loaded_after(code, SENDING_AND_CALENDARS) == list(SENDING_AND_CALENDARS)


def test_listing_leads_loads_no_http_client_or_holiday_calendars(db_url):
    code = ("import sys\nfrom revteam.cli.main import run\n"
            f"sys.argv = ['revteam', '--db', {db_url!r}, 'leads', 'list', '--json']\n"
            "try:\n    run()\nexcept SystemExit as exit_:\n    assert not exit_.code, exit_.code")
    assert _loaded_after(code, SENDING_AND_CALENDARS) == []


def test_listing_leads_loads_only_the_database_and_the_lead_tables(db_url):
    """No playbook, scoring rules or model, access policy or user service without `--as`."""
    code = ("import sys\nfrom revteam.cli.main import run\n"
            f"sys.argv = ['revteam', '--db', {db_url!r}, 'leads', 'list', '--limit', '20', '--json']\n"
            "try:\n    run()\nexcept SystemExit as exit_:\n    assert not exit_.code, exit_.code\n"
            "import json\nprint(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'argon2', "
            "'phonenumbers', 'numpy', 'rapidfuzz') or m.startswith(('revteam.playbook', 'revteam.leads.scoring.rules', "
            "'revteam.leads.scoring.predictive.service', 'revteam.leads.access', 'revteam.users.service', "
            "'revteam.routing')))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_showing_a_lead_never_graduated_loads_no_playbook_or_scoring_model(tmp_path, db_url):
    leads = tmp_path / "leads.csv"
    leads.write_text("email,first_name,last_name\nana@acme.example,Ana,Lima\n", encoding="utf-8")
    code = ("import sys\nfrom revteam.cli.main import run\n"
            f"sys.argv = ['revteam', '--db', {db_url!r}, 'import', 'leads', {str(leads)!r}, '--json']\n"
            "try:\n    run()\nexcept SystemExit as exit_:\n    assert not exit_.code, exit_.code")
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    code = ("import sys\nfrom revteam.cli.main import run\n"
            f"sys.argv = ['revteam', '--db', {db_url!r}, 'leads', 'show', '1', '--json']\n"
            "try:\n    run()\nexcept SystemExit as exit_:\n    assert not exit_.code, exit_.code\n"
            "import json\nprint(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'numpy') "
            "or m.startswith(('revteam.playbook', 'revteam.leads.scoring.predictive.service', 'revteam.leads.access')))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert '"ana@acme.example"' in result.stdout
    assert json.loads(result.stdout.splitlines()[-1]) == []
