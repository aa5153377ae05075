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


def _misspelt_size(shipped_playbook, tmp_path):
    broken = tmp_path / "broken.yaml"
    text = shipped_playbook.read_text().replace("field: account.employees", "field: account.employes", 1)
    broken.write_text(text)
    return broken, text.splitlines().index("      field: account.employes") + 1


def test_validate_refuses_an_unknown_fact_naming_file_line_and_the_known_facts(cli, shipped_playbook, tmp_path):
    broken, line = _misspelt_size(shipped_playbook, tmp_path)
    result = cli("playbook", "validate", str(broken))
    assert result.code == 2
    assert f"{broken}:{line}: icp.fit_rules[0].field: unknown fact 'account.employes'" in result.err
    assert "account.employees, account.industry, account.country" in result.err


def test_a_playbook_reading_an_unknown_fact_is_never_activated(cli, db_url, shipped_playbook, tmp_path):
    broken, line = _misspelt_size(shipped_playbook, tmp_path)
    result = cli("playbook", "activate", str(broken), "--db", db_url)
    assert result.code == 2 and f"{broken}:{line}:" in result.err
    assert cli("playbook", "versions", "--db", db_url).out.count("\n") == 1


def test_validate_refuses_a_minimum_fit_no_lead_can_reach(cli, shipped_playbook, tmp_path):
    broken = tmp_path / "unreachable.yaml"
    text = shipped_playbook.read_text().replace("mql_min_fit: 20", "mql_min_fit: 500")
    broken.write_text(text)
    line = text.splitlines().index("mql_min_fit: 500") + 1
    result = cli("playbook", "validate", str(broken))
    assert result.code == 2
    assert f"{broken}:{line}: mql_min_fit:" in result.err
    assert "mql_min_fit 500 is above all positive ICP points added up (75)" in result.err
