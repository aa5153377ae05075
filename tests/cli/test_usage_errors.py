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
