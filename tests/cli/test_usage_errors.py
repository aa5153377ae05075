import json


def test_a_missing_argument_is_a_usage_error_not_a_traceback(cli):
    result = cli("users", "add")
    assert result.code == 2
    assert "Missing argument" in result.err and "Traceback" not in result.err


def test_an_unknown_command_is_a_usage_error(cli):
    result = cli("frobnicate")
    assert result.code == 2 and "Traceback" not in result.err


def test_no_command_offers_shell_completion_install():
    # Completion is off for the whole CLI; a command loaded on demand must not bring it back.
    from revteam.cli.main import COMMANDS
    for name in COMMANDS:
        result = cli_help(name)
        assert "--install-completion" not in result, name


def cli_help(name: str) -> str:
    from typer.testing import CliRunner

    from revteam.cli.main import app
    return CliRunner().invoke(app, [name, "--help"]).output


def test_a_number_option_takes_a_whole_number_and_refuses_anything_else_as_typer_does(cli, db_url, tmp_path):
    leads = tmp_path / "leads.csv"
    leads.write_text("email,first_name\nana@acme.example,Ana\nbo@initech.example,Bo\n", encoding="utf-8")
    assert cli("--db", db_url, "import", "leads", str(leads), "--json").code == 0
    listed = cli("--db", db_url, "leads", "list", "--limit", "+1", "--json")
    assert listed.code == 0 and len(json.loads(listed.out)) == 1
    refused = cli("--db", db_url, "leads", "list", "--limit", "1.5")
    assert refused.code == 2 and "Invalid value for '--limit'" in refused.err and "valid integer" in refused.err
    assert "Traceback" not in refused.err


def test_an_argument_that_is_no_number_is_named_in_the_usage_error(cli, db_url):
    refused = cli("--db", db_url, "leads", "show", "one")
    assert refused.code == 2 and "Invalid value for 'lead_id'" in refused.err and "valid integer" in refused.err
