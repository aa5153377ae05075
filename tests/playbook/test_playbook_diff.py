from revteam.playbook.diff import Change, diff_playbooks, format_changes
from revteam.playbook.loader import default_playbook_path, load_default_playbook, load_playbook_text

DEFAULT_TEXT = default_playbook_path().read_text(encoding="utf-8")


def changed(old: str, new: str):
    return load_playbook_text(DEFAULT_TEXT.replace(old, new, 1), source="new.yaml")


def test_identical_playbooks_have_no_changes():
    assert diff_playbooks(load_default_playbook(), load_default_playbook()) == []


def test_changed_threshold_is_one_change():
    new = changed("mql_threshold: 60", "mql_threshold: 70")
    assert diff_playbooks(load_default_playbook(), new) == [Change("mql_threshold", "changed", 60, 70)]


def test_rule_inserted_first_is_one_addition_matched_by_id():
    new_rule = (
        "    - id: partner_referral\n      description: Referred by a partner\n"
        "      field: lead.source\n      op: eq\n      value: partner\n      points: 10\n"
    )
    new = changed("  fit_rules:\n", "  fit_rules:\n" + new_rule)
    [change] = diff_playbooks(load_default_playbook(), new)
    assert (change.path, change.kind) == ("icp.fit_rules[partner_referral]", "added")
    assert change.new["points"] == 10


def test_removed_reason_is_named_by_code():
    new = changed("  - code: wrong_person\n    label: Not the buyer; find the decision maker in the same account\n"
                  "    then: cultivate\n", "")
    [change] = diff_playbooks(load_default_playbook(), new)
    assert (change.path, change.kind) == ("reject_reasons[wrong_person]", "removed")


def test_changed_rule_points_are_named_by_rule_and_key():
    new = changed("      points: 15\n", "      points: 25\n")
    changes = diff_playbooks(load_default_playbook(), new)
    assert changes == [Change("icp.fit_rules[senior_title].points", "changed", 15, 25)]


def test_changes_read_as_lines():
    lines = format_changes([
        Change("mql_threshold", "changed", 60, 70),
        Change("icp.fit_rules[x]", "added", new={"points": 5}),
        Change("reject_reasons[y]", "removed", old="gone"),
    ])
    assert lines == [
        "changed mql_threshold: 60 -> 70",
        'added icp.fit_rules[x]: {"points": 5}',
        'removed reject_reasons[y]: "gone"',
    ]
