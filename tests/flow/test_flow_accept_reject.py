import pytest

from revteam.errors import BadInput, Forbidden, InvalidMove, NotFound
from revteam.leads.flow.actions import accept_lead, dispose_lead, reject_lead, route_lead


@pytest.fixture
def routed(team, make_lead, act, clock):
    """A US lead offered to alice."""
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    return lead


def test_offered_rep_accepts_the_lead(routed, act, lead_of, events_of, clock):
    act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.now)
    assert lead_of(routed) == ("accepted", "alice@acme.io")
    [accepted] = events_of(routed, "lead.accepted")
    assert accepted.actor == "alice@acme.io" and accepted.data["first_touch_by"]


def test_accepting_stops_the_accept_clock_and_starts_first_touch(routed, act, jobs_of, clock):
    act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.now)
    assert [job.state for job in jobs_of("sla.accept_expiry")] == ["cancelled"]
    assert [job.state for job in jobs_of("sla.accept_warning")] == ["cancelled"]
    assert [job.state for job in jobs_of("sla.first_touch_expiry")] == ["due"]


def test_another_rep_may_not_accept_a_lead_offered_to_alice(routed, act, lead_of, clock):
    with pytest.raises(NotFound, match=f"^no lead {routed}$"):
        act(accept_lead, lead_id=routed, actor="carl@acme.io", now=clock.now)
    assert lead_of(routed)[0] == "routed"


def test_the_reps_manager_may_accept_for_the_team(routed, act, lead_of, clock):
    act(accept_lead, lead_id=routed, actor="dana@acme.io", now=clock.now)
    assert lead_of(routed) == ("accepted", "alice@acme.io")


def test_marketing_may_not_accept_for_a_rep(routed, act, clock):
    with pytest.raises(Forbidden):
        act(accept_lead, lead_id=routed, actor="mia@acme.io", now=clock.now)


def test_rep_rejects_with_a_reason_and_note(routed, act, lead_of, events_of, clock):
    act(reject_lead, lead_id=routed, actor="alice@acme.io", reason="not_ready", note="call in Q3", now=clock.now)
    assert lead_of(routed) == ("rejected", None)
    [rejected] = events_of(routed, "lead.rejected")
    assert rejected.data.items() >= {"reason": "not_ready", "note": "call in Q3", "then": "cultivate",
                                  "rep": "alice@acme.io"}.items()


def test_reject_without_a_playbook_reason_is_refused_listing_the_codes(routed, act, lead_of, clock):
    with pytest.raises(BadInput, match="unknown reject reason 'meh'; the playbook has: not_ready, missing_contact"):
        act(reject_lead, lead_id=routed, actor="alice@acme.io", reason="meh", now=clock.now)
    assert lead_of(routed)[0] == "routed"


def test_rejecting_schedules_the_default_evaluation(routed, act, jobs_of, clock):
    act(reject_lead, lead_id=routed, actor="alice@acme.io", reason="no_capacity", now=clock.now)
    [evaluation] = jobs_of("lead.evaluate", "due")
    assert evaluation.payload == {"lead_id": routed}


def test_accepting_a_rejected_lead_is_refused(routed, act, clock):
    act(reject_lead, lead_id=routed, actor="alice@acme.io", reason="not_ready", now=clock.now)
    with pytest.raises(InvalidMove, match=f"lead {routed} is rejected; cannot accept it"):
        act(accept_lead, lead_id=routed, actor="root@acme.io", now=clock.now)


def test_a_rep_who_rejected_a_lead_may_no_longer_act_on_it(routed, act, clock):
    act(reject_lead, lead_id=routed, actor="alice@acme.io", reason="not_ready", now=clock.now)
    with pytest.raises(Forbidden, match=f"alice@acme.io may not accept lead {routed}: it is not theirs"):
        act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.now)


def test_accepting_twice_is_refused(routed, act, clock):
    act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.now)
    with pytest.raises(InvalidMove, match="is accepted; cannot accept it"):
        act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.now)


def test_accepting_a_won_lead_is_refused(routed, act, clock):
    act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.now)
    act(dispose_lead, lead_id=routed, actor="alice@acme.io", outcome="won", now=clock.now)
    with pytest.raises(InvalidMove, match=f"lead {routed} is won; cannot accept it \\(no move is allowed from won\\)"):
        act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.now)


def test_accepting_an_mql_that_was_never_routed_is_refused(team, make_lead, act, clock):
    lead = make_lead()
    with pytest.raises(InvalidMove, match="is mql; cannot accept it"):
        act(accept_lead, lead_id=lead, actor="root@acme.io", now=clock.now)


def test_a_rep_cannot_see_an_mql_that_was_never_routed(team, make_lead, act, clock):
    lead = make_lead()
    with pytest.raises(NotFound, match=f"^no lead {lead}$"):
        act(accept_lead, lead_id=lead, actor="alice@acme.io", now=clock.now)
