import pytest

from revteam.errors import BadInput
from revteam.playbook.routing_schema import RoutingRule, Target
from revteam.routing.roundrobin import RotationState
from revteam.routing.rules import Rep, Roster, decide_route

EMEA_RULE = {
    "id": "emea",
    "when": [{"field": "lead.country", "op": "in", "value": ["DE", "FR"]}],
    "target": {"team": "emea"},
}
ENTERPRISE_RULE = {
    "id": "enterprise",
    "when": [{"field": "account.employees", "op": "gte", "value": 1000}],
    "target": {"rep": "bob@acme.test"},
}
OWNER_RULE = {
    "id": "owner-first",
    "when": [{"field": "account.owner", "op": "present"}],
    "target": {"account_owner": True},
}
FALLBACK = {"team": "inbound"}


def reps(**changes) -> list[Rep]:
    """alice and erin in EMEA, bob the enterprise AE, ian and ines inbound; `changes` by name."""
    people = {
        "alice": dict(id=1, email="alice@acme.test", team="emea", pod="north", capacity=10),
        "erin": dict(id=2, email="erin@acme.test", team="emea", pod="north", capacity=10),
        "bob": dict(id=3, email="bob@acme.test", team="enterprise", pod="south", capacity=10),
        "ian": dict(id=4, email="ian@acme.test", team="inbound", capacity=10),
        "ines": dict(id=5, email="ines@acme.test", team="inbound", capacity=10),
    }
    for name, fields in changes.items():
        people[name].update(fields)
    return [Rep(**fields) for fields in people.values()]


def route(facts, rules=(EMEA_RULE, ENTERPRISE_RULE), roster=None, **options):
    options.setdefault("rotation", RotationState())
    return decide_route(list(rules), FALLBACK, facts, roster or Roster(reps()), **options)


def test_first_matching_rule_wins():
    decision = route({"lead.country": "DE", "account.employees": 5000})
    assert decision.rule_id == "emea"
    assert decision.rep_id in {1, 2}
    assert decision.target == "team emea"


def test_later_rule_applies_when_earlier_ones_do_not_match():
    decision = route({"lead.country": "US", "account.employees": 5000})
    assert (decision.rule_id, decision.rep_id, decision.target) == ("enterprise", 3, "rep bob@acme.test")


def test_fallback_takes_a_lead_no_rule_matches():
    decision = route({"lead.country": "US", "account.employees": 20})
    assert decision.rule_id == "fallback"
    assert decision.rep_id in {4, 5}


def test_missing_fact_does_not_match_a_rule():
    assert route({}).rule_id == "fallback"


def test_account_owner_gets_the_lead_first():
    facts = {"lead.country": "DE", "account.owner": "BOB@acme.test"}
    decision = route(facts, rules=(OWNER_RULE, EMEA_RULE))
    assert (decision.rule_id, decision.rep_id) == ("owner-first", 3)
    assert decision.target == "account owner BOB@acme.test"


def test_unavailable_account_owner_falls_through_to_the_next_matching_rule():
    facts = {"lead.country": "DE", "account.owner": "bob@acme.test"}
    roster = Roster(reps(bob={"available": False}))
    decision = route(facts, rules=(OWNER_RULE, EMEA_RULE), roster=roster)
    assert decision.rule_id == "emea"
    assert {"rep": 3, "reason": "unavailable"} in decision.skipped
    assert "rule owner-first → account owner bob@acme.test: nobody eligible" in decision.reason


def test_named_rep_out_of_office_falls_through_to_fallback():
    roster = Roster(reps(bob={"available": False}))
    decision = route({"account.employees": 5000}, roster=roster)
    assert decision.rule_id == "fallback"
    assert decision.skipped == [{"rep": 3, "reason": "unavailable"}]


def test_owner_missing_from_the_roster_falls_through_with_a_reason():
    decision = route({"account.owner": "gone@acme.test"}, rules=(OWNER_RULE,))
    assert decision.rule_id == "fallback"
    assert "gone@acme.test is not on the roster" in decision.reason


def test_inactive_rep_is_skipped_with_reason():
    roster = Roster(reps(alice={"active": False}))
    decision = route({"lead.country": "DE"}, roster=roster)
    assert decision.rep_id == 2
    assert decision.candidates == [2]
    assert decision.skipped == [{"rep": 1, "reason": "inactive"}]


def test_rep_at_capacity_is_skipped_with_reason():
    roster = Roster(reps(alice={"open_load": 10}))
    decision = route({"lead.country": "DE"}, roster=roster)
    assert decision.rep_id == 2
    assert decision.skipped == [{"rep": 1, "reason": "at_capacity"}]


def test_rejected_lead_is_never_offered_back_to_same_rep():
    rotation = RotationState()
    roster = Roster(reps())
    for _ in range(10):
        decision = route({"lead.country": "DE"}, roster=roster, rotation=rotation, excluded_rep_ids={1})
        assert decision.rep_id == 2
        assert decision.skipped == [{"rep": 1, "reason": "rejected_before"}]


def test_whole_team_ineligible_goes_to_fallback_and_lists_every_skip():
    roster = Roster(reps(alice={"active": False}, erin={"available": False}))
    decision = route({"lead.country": "FR"}, roster=roster)
    assert decision.rule_id == "fallback"
    assert decision.skipped == [{"rep": 1, "reason": "inactive"}, {"rep": 2, "reason": "unavailable"}]
    assert decision.candidates == [4, 5]


def test_nobody_fits_returns_no_rep_with_the_reasons():
    roster = Roster(reps(ian={"open_load": 10}, ines={"active": False}))
    decision = route({"lead.country": "US"}, roster=roster)
    assert decision.rep_id is None and decision.rule_id is None
    assert decision.skipped == [{"rep": 4, "reason": "at_capacity"}, {"rep": 5, "reason": "inactive"}]
    assert "fallback → team inbound: nobody eligible" in decision.reason


def test_pod_target_routes_within_the_pod():
    rule = {"id": "north", "when": [], "target": {"pod": "north"}}
    decision = route({}, rules=(rule,))
    assert decision.rep_id in {1, 2} and decision.target == "pod north"


def test_team_with_no_reps_falls_through():
    rule = {"id": "apac", "when": [], "target": {"team": "apac"}}
    decision = route({}, rules=(rule,))
    assert decision.rule_id == "fallback"
    assert "team apac has no reps" in decision.reason


def test_playbook_rule_models_are_read_like_dicts():
    rule = RoutingRule(
        id="de",
        description="German leads to EMEA",
        when=[{"field": "lead.country", "op": "eq", "value": "de"}],
        target=Target(team="emea"),
    )
    decision = decide_route([rule], Target(team="inbound"), {"lead.country": "DE"}, Roster(reps()), rotation=RotationState())
    assert decision.rule_id == "de"


def test_target_naming_two_kinds_is_bad_input():
    rule = {"id": "twice", "when": [], "target": {"team": "emea", "pod": "north"}}
    with pytest.raises(BadInput, match="rule twice"):
        route({}, rules=(rule,))


def test_roster_refuses_two_reps_with_one_email():
    with pytest.raises(BadInput, match="e-mail"):
        Roster(reps(erin={"email": "ALICE@acme.test"}))


def test_rep_weight_below_one_is_bad_input():
    with pytest.raises(BadInput, match="weight"):
        Rep(id=1, email="a@acme.test", capacity=1, weight=0)
