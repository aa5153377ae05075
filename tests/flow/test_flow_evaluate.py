import pytest

from revteam.errors import BadInput, Forbidden, InvalidMove, NotFound
from revteam.leads.flow.actions import evaluate_lead, reject_lead, route_lead


@pytest.fixture
def offer(team, act, clock):
    """Route a lead with mia and return who got it."""

    def route(lead: int) -> None:
        act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)

    return route


def _reject(act, lead, rep, reason, now):
    act(reject_lead, lead_id=lead, actor=rep, reason=reason, now=now)


@pytest.mark.parametrize("reason", ["not_ready", "missing_contact"])
def test_not_ready_leads_go_back_to_cultivation(offer, make_lead, act, lead_of, events_of, clock, reason):
    lead = make_lead()
    offer(lead)
    _reject(act, lead, "alice@acme.io", reason, clock.now)
    assert act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now) == "cultivation"
    assert lead_of(lead) == ("cultivating", None)
    assert events_of(lead, "lead.evaluated")[0].data["to"] == "cultivation"


def test_no_capacity_offers_the_lead_to_another_rep_of_the_team(offer, make_lead, act, lead_of, clock):
    lead = make_lead()
    offer(lead)
    _reject(act, lead, "alice@acme.io", "no_capacity", clock.now)
    assert act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now) == "reroute"
    assert lead_of(lead) == ("routed", "carl@acme.io")


def test_rejected_lead_is_never_offered_back_to_same_rep(offer, make_lead, act, lead_of, events_of, clock):
    lead = make_lead()
    offer(lead)
    _reject(act, lead, "alice@acme.io", "no_capacity", clock.now)
    act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    _reject(act, lead, "carl@acme.io", "no_capacity", clock.now)
    assert act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now) == "cultivation"
    assert lead_of(lead) == ("cultivating", None)
    skipped = events_of(lead, "lead.routed")[-1].data["skipped"]
    assert {"rep": "alice@acme.io", "reason": "rejected_before"} in skipped
    assert "nobody can take it now" in events_of(lead, "lead.returned")[0].data["why"]


def test_a_recultivated_lead_may_go_to_the_rep_who_rejected_it(offer, make_lead, act, lead_of, clock):
    lead = make_lead()
    offer(lead)
    _reject(act, lead, "alice@acme.io", "not_ready", clock.now)
    act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    offer(lead)  # back from cultivation: fair game starts over, and round robin says carl
    _reject(act, lead, "carl@acme.io", "no_capacity", clock.now)
    act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    assert lead_of(lead) == ("routed", "alice@acme.io")


def test_evaluator_may_override_the_reason_default(offer, make_lead, act, lead_of, clock):
    lead = make_lead()
    offer(lead)
    _reject(act, lead, "alice@acme.io", "not_ready", clock.now)
    assert act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now, to="reroute") == "reroute"
    assert lead_of(lead) == ("routed", "carl@acme.io")


def test_evaluating_to_an_unknown_place_is_refused(offer, make_lead, act, clock):
    lead = make_lead()
    offer(lead)
    _reject(act, lead, "alice@acme.io", "not_ready", clock.now)
    with pytest.raises(BadInput, match="evaluate to 'cultivation' or 'reroute'"):
        act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now, to="nowhere")


def test_a_rep_may_not_evaluate_leads(offer, make_lead, act, clock):
    lead = make_lead()
    offer(lead)
    _reject(act, lead, "alice@acme.io", "not_ready", clock.now)
    with pytest.raises(NotFound):
        act(evaluate_lead, lead_id=lead, actor="carl@acme.io", now=clock.now)
    with pytest.raises(Forbidden, match="only admin, marketing, manager may evaluate"):
        act(evaluate_lead, lead_id=lead, actor="alice@acme.io", now=clock.now)


def test_the_team_manager_may_evaluate_their_teams_rejections(offer, make_lead, act, lead_of, clock):
    lead = make_lead()
    offer(lead)
    _reject(act, lead, "alice@acme.io", "not_ready", clock.now)
    act(evaluate_lead, lead_id=lead, actor="dana@acme.io", now=clock.now)
    assert lead_of(lead)[0] == "cultivating"


def test_evaluating_a_routed_lead_is_refused(offer, make_lead, act, clock):
    lead = make_lead()
    offer(lead)
    with pytest.raises(InvalidMove, match=f"lead {lead} is routed; cannot evaluate_cultivate it"):
        act(evaluate_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
