from revteam.playbook.loader import (
    canonical_json,
    default_playbook_path,
    load_default_playbook,
    playbook_hash,
    playbook_version,
)

DEFAULT_TEXT = default_playbook_path().read_text(encoding="utf-8")


def test_hash_ignores_comments_and_blank_lines():
    reworded = DEFAULT_TEXT.replace("# ", "# (reworded) ") + "\n\n# trailing note\n"
    assert playbook_hash(reworded) == playbook_hash(DEFAULT_TEXT)


def test_hash_ignores_flow_or_block_style():
    block = DEFAULT_TEXT.replace("  fallback: {team: na-sdr}", "  fallback:\n    team: na-sdr")
    assert playbook_hash(block) == playbook_hash(DEFAULT_TEXT)


def test_hash_ignores_how_a_share_is_written():
    assert playbook_hash(DEFAULT_TEXT.replace("0.80", "0.8")) == playbook_hash(DEFAULT_TEXT)


def test_hash_changes_when_a_definition_changes():
    assert playbook_hash(DEFAULT_TEXT.replace("mql_threshold: 60", "mql_threshold: 65")) != playbook_hash(DEFAULT_TEXT)


def test_version_of_model_matches_hash_of_text():
    assert playbook_version(load_default_playbook()) == playbook_hash(DEFAULT_TEXT)


def test_canonical_json_has_sorted_keys_and_no_spacing():
    text = canonical_json(load_default_playbook())
    assert text.startswith('{"bookings_churn_window_months":6,')
