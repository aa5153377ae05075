def test_validate_accepts_the_shipped_playbook(cli, shipped_playbook):
    result = cli("playbook", "validate", str(shipped_playbook))
    assert result.code == 0 and "valid playbook" in result.out


def test_validate_names_file_line_and_key_with_exit_2(cli, shipped_playbook, tmp_path):
    broken = tmp_path / "broken.yaml"
    text = shipped_playbook.read_text().replace("mql_threshold: 60", "mql_threshold: sixty")
    broken.write_text(text)
    line = text.splitlines().index("mql_threshold: sixty") + 1
    result = cli("playbook", "validate", str(broken))
    assert result.code == 2
    assert f"{broken}:{line}: mql_threshold:" in result.err and "Traceback" not in result.err


def test_diff_shows_a_changed_threshold(cli, shipped_playbook, tmp_path):
    changed = tmp_path / "changed.yaml"
    changed.write_text(shipped_playbook.read_text().replace("mql_threshold: 60", "mql_threshold: 70"))
    result = cli("playbook", "diff", str(shipped_playbook), str(changed))
    assert result.code == 0 and "mql_threshold" in result.out and "60" in result.out and "70" in result.out


def test_a_broken_playbook_is_never_activated(cli, db_url, shipped_playbook, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(shipped_playbook.read_text().replace("mql_threshold: 60", "mql_threshold: sixty"))
    assert cli("playbook", "activate", str(broken), "--db", db_url).code == 2
    versions = cli("playbook", "versions", "--db", db_url)
    assert versions.out.count("\n") == 1
