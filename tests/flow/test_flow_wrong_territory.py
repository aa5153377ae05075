"""A lead rejected as wrong territory is not routed back to the same team by the same territory rule."""

import pytest

from revteam.db.session import session_scope
from revteam.leads.flow.actions import evaluate_lead, reject_lead, route_lead
from revteam.users.schemas import UserIn
from revteam.users.service import add_user


@pytest.fixture
def erin(engine):
    """An SDR in emea-sdr."""
    with session_scope(engine) as session:
        return add_user(session, UserIn(email="erin@acme.io", name="Erin Sdr", role="sales", sales_role="sdr",
                                        team="emea-sdr", territory="EMEA", capacity=5, password="correct-horse"),
                        actor="test")


def _reject_as_wrong_territory(act, lead, clock):
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    act(reject_lead, lead_id=lead, actor="alice@acme.io", reason="wrong_territory", now=clock.now)
    return act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)


def test_wrong_territory_is_not_rerouted_to_another_rep_of_the_same_team(team, make_lead, act, lead_of, events_of,
                                                                          clock):
    lead = make_lead(country="US")
    assert _reject_as_wrong_territory(act, lead, clock) == "cultivation"
    assert lead_of(lead) == ("cultivating", None)  # not carl, the other na-sdr rep
    why = events_of(lead, "lead.returned")[-1].data["why"]
    assert "rule na_territory → team na-sdr: passed over" in why
    assert "alice@acme.io rejected it as wrong_territory" in why


def test_wrong_territory_goes_on_to_the_next_rule_and_the_decision_says_why(team, erin, make_lead, act, lead_of,
                                                                            events_of, clock, use_playbook):
    use_playbook("  fallback: {team: na-sdr}", "  fallback: {team: emea-sdr}")
    lead = make_lead(country="US")
    assert _reject_as_wrong_territory(act, lead, clock) == "reroute"
    assert lead_of(lead) == ("routed", "erin@acme.io")
    decision = events_of(lead, "lead.routed")[-1].data
    assert decision["rule"] == "fallback" and decision["target"] == "team emea-sdr"
    assert decision["barred"] == [{"target": "team na-sdr",
                                   "why": "alice@acme.io rejected it as wrong_territory after rule na_territory"}]
    assert decision["reason"].startswith("rule na_territory → team na-sdr: passed over (alice@acme.io rejected it")


def test_other_reroute_reasons_still_stay_in_the_team(team, make_lead, act, lead_of, clock):
    lead = make_lead(country="US")
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    act(reject_lead, lead_id=lead, actor="alice@acme.io", reason="no_capacity", now=clock.now)
    assert act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now) == "reroute"
    assert lead_of(lead) == ("routed", "carl@acme.io")


def test_back_from_cultivation_the_territory_may_take_it_again(team, make_lead, act, lead_of, clock):
    lead = make_lead(country="US")
    _reject_as_wrong_territory(act, lead, clock)
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    assert lead_of(lead)[0] == "routed" and lead_of(lead)[1] in ("alice@acme.io", "carl@acme.io")
