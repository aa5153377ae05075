"""The command line loads the heavy parts only for the commands that use them (checked in a fresh
interpreter, by what is in sys.modules: no timing)."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import revteam
from revteam.cli.main import COMMANDS, load_command

HEAVY = {"numpy", "sklearn", "rapidfuzz", "phonenumbers.geocoder", "phonenumbers.geodata", "fastapi", "jinja2", "sqlalchemy"}


def _after(code: str) -> tuple[set[str], str]:
    """Every module a fresh interpreter holds after running `code`, and what the code printed."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    *printed, modules = result.stdout.splitlines()
    return set(json.loads(modules)), "\n".join(printed)


def _running(*runs: list[str], exit_code: int = 0, entry: str = "revteam.cli.main", then: str = "") -> tuple[set[str], str]:
    """`_after` running `revteam ARGS...` for each list of ARGS in turn, each ending with `exit_code`,
    through `entry`'s `run` (the console script's is revteam.cli.start), then the code `then`."""
    return _after(f"import sys\nfrom {entry} import run\n"
                  f"for args in {list(runs)!r}:\n"
                  "    sys.argv = ['revteam', *args]\n"
                  "    try:\n        run()\n"
                  f"    except SystemExit as exit_:\n        assert (exit_.code or 0) == {exit_code}, (args, exit_.code)\n"
                  f"{then}")


def _under(modules: set[str], *packages: str) -> list[str]:
    """The modules that are one of `packages` or inside one."""
    return sorted(m for m in modules if m in packages or m.startswith(tuple(f"{package}." for package in packages)))


def test_importing_the_command_line_loads_no_heavy_module():
    modules, _ = _after("import revteam.cli.main")
    assert sorted(modules & HEAVY) == []


def test_the_top_level_help_loads_no_heavy_module():
    modules, printed = _running(["--help"])
    assert "Usage" in printed
    assert sorted(modules & HEAVY) == []


# What no help needs: the database, the settings, pydantic behind them, the web stack, YAML.
NOT_FOR_A_HELP = {*HEAVY, "pydantic", "pydantic_settings", "yaml", "alembic", "starlette", "httpx", "holidays"}
# revteam's own modules a help may load beside its command's module: the shared CLI options and the
# constants its options are built from (scorecard teams, success signals, the month type).
LIGHT = {"revteam", "revteam.errors", "revteam.periods", "revteam.cli", "revteam.cli.main", "revteam.cli.options",
         "revteam.cli.common", "revteam.metrics", "revteam.metrics.scorecard_kinds", "revteam.revenue",
         "revteam.revenue.signals"}


def _every_help(name: str) -> list[list[str]]:
    """`revteam NAME --help` and the help of every group and command under it, from the command tree."""

    def under(command, words: list[str]):
        yield [*words, "--help"]
        for sub_name, sub in getattr(command, "commands", {}).items():
            yield from under(sub, [*words, sub_name])

    return list(under(load_command(name), [name]))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_help_of_a_command_loads_only_that_commands_module(name):
    helps = _every_help(name)
    modules, printed = _running(*helps)
    assert printed.count("Usage") == len(helps)
    assert sorted(modules & NOT_FOR_A_HELP) == []
    own = f"revteam.cli.{COMMANDS[name][0]}"
    assert sorted(m for m in _under(modules, "revteam") if m not in LIGHT | {own}) == []


def test_the_helps_checked_reach_nested_groups_and_their_commands():
    assert ["customers", "promise", "--help"] in _every_help("customers")
    assert ["leads", "list", "--help"] in _every_help("leads")


def test_a_command_still_loads_what_it_uses(tmp_path, db_url):
    leads = tmp_path / "leads.csv"
    leads.write_text("email,first_name,last_name,company,phone\n"
                     "ana@acme.example,Ana,Lima,Acme Inc,+1 415 555 0100\n", encoding="utf-8")
    modules, _ = _running(["--db", db_url, "import", "leads", str(leads), "--json"])
    assert {"sqlalchemy", "rapidfuzz", "phonenumbers"} <= modules


def test_an_option_of_a_type_click_cannot_vouch_for_still_goes_through_typers_coercion(db_url):
    modules, _ = _running(["--db", db_url, "leads", "show", "not-a-number"], exit_code=2)
    assert "pydantic" in modules


def test_validating_a_playbook_loads_no_database_or_web_module(shipped_playbook):
    modules, printed = _running(["playbook", "validate", str(shipped_playbook)])
    assert "valid playbook" in printed
    assert sorted(modules & HEAVY) == []


def test_validating_a_playbook_naming_no_rep_loads_no_email_checker_or_typers_pydantic_adapter(shipped_playbook):
    """The file argument is a path as Click parsed it; the e-mail check loads only for a rep."""
    modules, _ = _running(["playbook", "validate", str(shipped_playbook)])
    assert _under(modules, "email_validator", "typer._adapters") == []


def test_checking_the_holiday_country_loads_no_countrys_calendar(shipped_playbook):
    modules, _ = _running(["playbook", "validate", str(shipped_playbook)])
    assert _under(modules, "holidays.countries") == []


def test_a_reading_command_on_a_current_database_loads_no_migration_tool_or_other_domain(db_url):
    modules, _ = _running(["--db", db_url, "jobs", "list", "--json"])
    assert _under(modules, "alembic", "revteam.leads", "revteam.cultivation", "revteam.routing", "revteam.metrics") == []


def test_the_scoring_commands_load_scikit_learn_only_to_train(db_url):
    modules, _ = _running(["--db", db_url, "scoring", "predictions", "--json"], exit_code=2)
    assert "sklearn" not in modules


def test_listing_jobs_loads_no_web_stack_phone_data_numeric_library_or_pydantic(db_url):
    modules, _ = _running(["--db", db_url, "jobs", "list", "--json"])
    assert sorted(modules & (HEAVY | {"pydantic"})) == ["sqlalchemy"]


# Loaded by the one function that uses each: posting to a webhook, building a business calendar.
SENDING_AND_CALENDARS = {"holidays", "httpx"}


def test_the_lead_flow_loads_the_http_client_and_holiday_calendars_only_when_it_uses_them():
    modules, _ = _after("import revteam.leads.flow.actions")
    assert sorted(modules & SENDING_AND_CALENDARS) == []
    modules, _ = _after("from datetime import time\nfrom revteam.routing.sla import BusinessCalendar\n"
                        "BusinessCalendar.with_public_holidays('UTC', time(9), time(17), country='US', years=[2026])\n"
                        "from revteam.notify.webhook import post_webhook\n"
                        "try:\n    post_webhook(url='http://127.0.0.1:9/', message={})\nexcept Exception:\n    pass")
    assert sorted(modules & SENDING_AND_CALENDARS) == sorted(SENDING_AND_CALENDARS)


def test_listing_leads_loads_only_the_database_and_the_lead_tables(db_url):
    """No playbook, scoring (rules, explanations, predictions), access policy or user service without
    `--as`; no pydantic for its options, no HTTP client or holiday calendars."""
    modules, _ = _running(["--db", db_url, "leads", "list", "--limit", "20", "--json"])
    assert _under(modules, "yaml", "argon2", "phonenumbers", "numpy", "rapidfuzz", "pydantic", "httpx", "holidays",
                  "revteam.playbook", "revteam.leads.scoring", "revteam.leads.access", "revteam.users.service",
                  "revteam.routing") == []


def test_showing_a_lead_never_graduated_loads_no_playbook_or_scoring_model(tmp_path, db_url):
    leads = tmp_path / "leads.csv"
    leads.write_text("email,first_name,last_name\nana@acme.example,Ana,Lima\n", encoding="utf-8")
    _running(["--db", db_url, "import", "leads", str(leads), "--json"])
    modules, printed = _running(["--db", db_url, "leads", "show", "1", "--json"])
    assert '"ana@acme.example"' in printed
    assert _under(modules, "yaml", "numpy", "revteam.playbook", "revteam.leads.scoring.predictive.service",
                  "revteam.leads.access") == []


LIGHT_DATABASE_COMMANDS = [["jobs", "list"], ["leads", "list", "--limit", "20"], ["leads", "show", "1"]]


@pytest.mark.parametrize("command", LIGHT_DATABASE_COMMANDS, ids=" ".join)
def test_a_light_command_on_sqlite_loads_no_postgresql_dialect(tmp_path, db_url, command):
    """Neither the JSON columns nor the partial indexes' predicates nor a dialect's `insert` load it."""
    if not db_url.startswith("sqlite"):
        pytest.skip("on PostgreSQL its dialect is the one in use")
    leads = tmp_path / "leads.csv"
    leads.write_text("email,first_name,last_name\nana@acme.example,Ana,Lima\n", encoding="utf-8")
    _running(["--db", db_url, "import", "leads", str(leads), "--json"])
    modules, _ = _running(["--db", db_url, *command, "--json"])
    assert _under(modules, "sqlalchemy.dialects.postgresql", "psycopg", "asyncpg") == []


GC_STATE = "import gc\nprint('collector', gc.isenabled(), gc.get_freeze_count() > 0)"


def test_the_console_script_starts_without_the_collector_and_works_with_it(db_url):
    """Off from the first import; back on, start-up's objects frozen out of its passes, once the
    database is open."""
    _, printed = _running(["--db", db_url, "jobs", "list", "--json"], entry="revteam.cli.start",
                          then=f"{GC_STATE}\nprint('the query results frozen', gc.get_count() == (0, 0, 0))")
    assert printed.splitlines()[-2:] == ["collector True True", "the query results frozen True"]


def test_a_command_that_opens_no_database_ends_with_start_ups_objects_frozen_out_of_the_last_collection():
    _, printed = _running(["--help"], entry="revteam.cli.start", then=GC_STATE)
    assert printed.splitlines()[-1] == "collector False True"


def test_the_command_line_run_in_a_process_of_its_own_leaves_the_collector_alone(db_url):
    _, printed = _running(["--db", db_url, "jobs", "list", "--json"], then=GC_STATE)
    assert printed.splitlines()[-1] == "collector True False"


def test_the_console_script_and_python_m_revteam_enter_where_the_collector_goes_off():
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["revteam"] == "revteam.cli.start:run"
    assert "from revteam.cli.start import run" in (Path(revteam.__file__).parent / "__main__.py").read_text()
