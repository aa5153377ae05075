from pathlib import Path

import pytest

from revteam.errors import BadInput
from revteam.playbook.loader import (
    PlaybookInvalid,
    default_playbook_path,
    load_default_playbook,
    load_playbook_file,
    load_playbook_text,
)

DEFAULT_TEXT = default_playbook_path().read_text(encoding="utf-8")


def line_of(text: str, snippet: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing `snippet`."""
    hits = [number for number, line in enumerate(text.splitlines(), start=1) if snippet in line]
    return hits[occurrence - 1]


def edited(old: str, new: str, count: int = 1) -> str:
    assert old in DEFAULT_TEXT
    return DEFAULT_TEXT.replace(old, new, count)


def problems_of(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(PlaybookInvalid) as caught:
        load_playbook_text(text, source="team.yaml")
    return [(problem.line, problem.key, problem.message) for problem in caught.value.problems]


def test_default_playbook_loads():
    playbook = load_default_playbook()
    assert playbook.mql_threshold == 60
    assert playbook.routing.rules[0].target.account_owner is True
    assert playbook.routing.fallback.team == "na-sdr"


def test_default_playbook_keeps_norway_a_country_code():
    playbook = load_default_playbook()
    target_country = next(rule for rule in playbook.icp.fit_rules if rule.id == "target_country")
    assert "NO" in target_country.value


def test_misspelt_key_is_reported_at_its_line_with_a_suggestion():
    text = edited("  half_life_days: 30", "  half_life_dayz: 30")
    problems = problems_of(text)
    line = line_of(text, "half_life_dayz")
    assert (line, "engagement.half_life_dayz", "unknown key (did you mean 'half_life_days'?)") in problems


def test_wrong_type_is_reported_at_its_line():
    text = edited("mql_threshold: 60", "mql_threshold: sixty")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "mql_threshold: sixty"), "mql_threshold")
    assert "integer" in message and "'sixty'" in message


def test_unknown_operator_is_reported_on_the_rule():
    text = edited("      op: gte\n      value: 1000", "      op: greater\n      value: 1000")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "op: greater"), "icp.fit_rules[0].op")
    assert "'between'" in message


def test_duplicate_rule_id_is_reported_at_the_repeat():
    text = edited("id: mid_market_size", "id: enterprise_size")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "id: enterprise_size", occurrence=2), "icp.fit_rules[1].id")
    assert "duplicate id 'enterprise_size'" == message


def test_duplicate_reject_code_is_reported():
    text = edited("code: no_capacity", "code: not_ready")
    [(line, key, _)] = problems_of(text)
    assert (line, key) == (line_of(text, "code: not_ready", occurrence=2), "reject_reasons[3].code")


def test_yaml_syntax_error_gives_file_and_line():
    text = "name: ok\ntimezone: UTC\nicp: {fit_rules: [}\n"
    with pytest.raises(PlaybookInvalid) as caught:
        load_playbook_text(text, source="team.yaml")
    assert str(caught.value).startswith("team.yaml:3: (yaml): ")


def test_error_text_is_one_file_line_key_message_per_problem():
    text = edited("mql_threshold: 60", "mql_threshold: sixty").replace("model: assembly_line", "model: factory")
    with pytest.raises(PlaybookInvalid) as caught:
        load_playbook_text(text, source="team.yaml")
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"team.yaml:{line_of(text, 'mql_threshold')}: mql_threshold: ")
    assert lines[1].startswith(f"team.yaml:{line_of(text, 'model: factory')}: routing.model: ")
    assert isinstance(caught.value, BadInput)


def test_target_naming_two_destinations_is_refused():
    text = edited("target: {pod: pod-alpha}", "target: {pod: pod-alpha, team: emea-sdr}")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "target: {pod: pod-alpha, team"), "routing.rules[1].target")
    assert "exactly one" in message


def test_between_needs_two_values():
    text = edited("value: [100, 999]", "value: [100]")
    [(_, key, message)] = problems_of(text)
    assert key == "icp.fit_rules[1]"
    assert "two values" in message


def test_in_needs_a_list():
    text = edited("value: [software, fintech, financial services, healthcare, e-commerce, saas]", "value: software")
    [(_, key, message)] = problems_of(text)
    assert (key, message) == ("icp.fit_rules[4]", "'in' needs a list of values")


def test_misspelt_fact_entity_is_refused():
    text = edited("field: account.industry", "field: acount.industry")
    [(line, key, _)] = problems_of(text)
    assert (line, key) == (line_of(text, "acount.industry"), "icp.fit_rules[4].field")


def test_unquoted_clock_time_is_refused_instead_of_read_as_seconds():
    text = edited('end: "17:30"', "end: 17:30")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "end: 17:30"), "sla.business_hours.end")
    assert "quotes" in message


def test_unknown_time_zone_is_refused():
    text = edited("timezone: America/New_York   #", "timezone: Mars/Olympus   #")
    [(_, key, message)] = problems_of(text)
    assert key == "timezone" and "unknown time zone" in message


def test_comp_split_and_kpi_share_must_add_up_to_one():
    text = edited("expansion: {weight: 0.15, quota: 120000.00}", "expansion: {weight: 0.25, quota: 120000.00}")
    [(line, key, message)] = problems_of(text)
    assert key == "comp.plans[0]" and "add up to 1" in message


def test_comp_tiers_must_rise_from_zero_at_their_line():
    text = edited("- {attainment_from: 1.5, multiplier: 2}", "- {attainment_from: 0.8, multiplier: 2}")
    [(line, key, message)] = problems_of(text)
    assert key == "comp.plans[0].tiers" and "rise strictly" in message
    assert line == line_of(text, "tiers:")


def test_comp_kicker_needs_the_tcv_basis():
    text = edited("basis: {kind: acv}\n      tiers:\n        - {attainment_from: 0, multiplier: 0.5}",
                  "basis: {kind: acv, kicker: {min_term_months: 24, extra: 0.1}}\n      tiers:\n"
                  "        - {attainment_from: 0, multiplier: 0.5}")
    [(_, key, message)] = problems_of(text)
    assert key == "comp.plans[0].basis" and "tcv" in message


def test_repeated_yaml_key_is_refused():
    text = edited("mql_threshold: 60", "mql_threshold: 60\nmql_threshold: 70")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "mql_threshold: 70"), "mql_threshold")
    assert "twice" in message


def test_missing_section_is_reported_at_its_parent():
    text = edited("  half_life_days: 30\n", "")
    [(line, key, message)] = problems_of(text)
    assert (line, key, message) == (line_of(text, "engagement:"), "engagement.half_life_days", "required key is missing")


def test_missing_metric_definition_is_refused():
    text = edited("  nrr:\n", "  net_retention:\n")
    [(_, key, message)] = problems_of(text)
    assert key == "metrics" and "nrr" in message


def test_a_list_is_not_a_playbook():
    assert problems_of("- name: x\n") == [(1, "(top)", "a playbook is a mapping of sections (name:, icp:, ...)")]


def test_file_errors_name_the_file(tmp_path: Path):
    path = tmp_path / "team.yaml"
    path.write_text(edited("mql_threshold: 60", "mql_threshold: -x"), encoding="utf-8")
    with pytest.raises(PlaybookInvalid) as caught:
        load_playbook_file(path)
    assert caught.value.problems[0].file == str(path)


def test_missing_file_is_bad_input(tmp_path: Path):
    with pytest.raises(BadInput, match="cannot read playbook"):
        load_playbook_file(tmp_path / "absent.yaml")


def test_an_unknown_visibility_scope_is_refused_at_its_line():
    text = edited("    sales: [own]\n  act:", "    sales: [everything]\n  act:")
    [(line, key, message)] = problems_of(text)
    assert line == line_of(text, "sales: [everything]") and key == "visibility.see.sales[0]"
    assert "'own', 'team', 'pod', 'unrouted' or 'all'" in message


def test_visibility_must_name_every_role():
    text = edited("    success: []\n", "")
    [(_, key, message)] = problems_of(text)
    assert key == "visibility" and "visibility.act must name every one of" in message and "missing: success" in message


def test_a_rep_target_is_checked_and_normalised_as_an_email_address():
    text = edited("target: {pod: pod-beta}", "target: {rep: Ana@Example.COM}")
    rule = next(rule for rule in load_playbook_text(text, source="team.yaml").routing.rules if rule.id == "strategic_other")
    assert rule.target.rep == "Ana@example.com"
    text = edited("target: {pod: pod-beta}", "target: {rep: ana-at-example}")
    [(line, key, message)] = problems_of(text)
    assert line == line_of(text, "rep: ana-at-example")
    assert message.startswith("value is not a valid email address: ")
