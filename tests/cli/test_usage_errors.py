def test_a_missing_argument_is_a_usage_error_not_a_traceback(cli):
    result = cli("users", "add")
    assert result.code == 2
    assert "Missing argument" in result.err and "Traceback" not in result.err


def test_an_unknown_command_is_a_usage_error(cli):
    result = cli("frobnicate")
    assert result.code == 2 and "Traceback" not in result.err
