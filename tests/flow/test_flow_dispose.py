import pytest

from revteam.errors import BadInput, InvalidMove, NotFound
from revteam.leads.flow.actions import accept_lead, dispose_lead, handoff_lead, route_lead, touch_lead


@pytest.fixture
def accepted(team, make_lead, act, clock):
    """A lead alice accepted."""
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    act(accept_lead, lead_id=lead, actor="alice@acme.io", now=clock.now)
    return lead


def test_won_lead_is_disposed_as_won(accepted, act, lead_of, events_of, clock):
    act(dispose_lead, lead_id=accepted, actor="alice@acme.io", outcome="won", now=clock.now)
    assert lead_of(accepted) == ("won", "alice@acme.io")
    assert events_of(accepted, "lead.disposed")[0].data["outcome"] == "won"


def test_not_a_lead_is_disposed(accepted, act, lead_of, clock):
    act(dispose_lead, lead_id=accepted, actor="alice@acme.io", outcome="not_a_lead", now=clock.now)
    assert lead_of(accepted)[0] == "not_a_lead"


def test_good_fit_lost_lead_is_scheduled_to_return_after_the_playbook_delay(accepted, act, jobs_of, events_of, clock):
    act(dispose_lead, lead_id=accepted, actor="alice@acme.io", outcome="lost", reason="timing", now=clock.now)
    [comeback] = jobs_of("lead.recultivate", "due")
    assert comeback.run_at == clock.after(days=90)
    assert events_of(accepted, "lead.disposed")[0].data["reason"] == "timing"


def test_lost_not_a_fit_never_comes_back(accepted, act, jobs_of, clock):
    act(dispose_lead, lead_id=accepted, actor="alice@acme.io", outcome="lost", reason="not_a_fit", now=clock.now)
    assert jobs_of("lead.recultivate") == []


def test_lost_without_a_reason_is_refused(accepted, act, lead_of, clock):
    with pytest.raises(BadInput, match="outcome lost needs a lost reason from the playbook"):
        act(dispose_lead, lead_id=accepted, actor="alice@acme.io", outcome="lost", now=clock.now)
    assert lead_of(accepted)[0] == "accepted"


def test_unknown_outcome_is_refused(accepted, act, clock):
    with pytest.raises(BadInput, match="outcome must be one of won, lost, not_a_lead"):
        act(dispose_lead, lead_id=accepted, actor="alice@acme.io", outcome="maybe", now=clock.now)


def test_disposing_a_routed_lead_is_refused(team, make_lead, act, clock):
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    with pytest.raises(InvalidMove, match=f"lead {lead} is routed; cannot win it"):
        act(dispose_lead, lead_id=lead, actor="alice@acme.io", outcome="won", now=clock.now)


def test_another_rep_may_not_dispose_alices_lead(accepted, act, clock):
    with pytest.raises(NotFound):
        act(dispose_lead, lead_id=accepted, actor="carl@acme.io", outcome="won", now=clock.now)


def test_first_touch_records_contact_and_stops_the_first_touch_clock(accepted, act, jobs_of, events_of, clock):
    act(touch_lead, lead_id=accepted, actor="alice@acme.io", now=clock.after(hours=1))
    assert events_of(accepted, "lead.contacted")[0].data["first"] is True
    assert [job.state for job in jobs_of("sla.first_touch_expiry")] == ["cancelled"]


def test_touching_a_routed_lead_is_refused(team, make_lead, act, clock):
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    with pytest.raises(InvalidMove, match="is routed; cannot touch it"):
        act(touch_lead, lead_id=lead, actor="alice@acme.io", now=clock.now)


def test_sdr_hands_an_accepted_lead_to_an_account_executive(accepted, act, lead_of, events_of, clock):
    act(handoff_lead, lead_id=accepted, actor="alice@acme.io", now=clock.now)
    assert lead_of(accepted) == ("routed", "bob@acme.io")
    routed = events_of(accepted, "lead.routed")[-1].data
    assert routed["stage"] == "ae" and routed["rule"] == "mid_market_handoff"
    assert events_of(accepted, "lead.handed_off")[0].data["from"] == "alice@acme.io"


def test_account_executive_accepts_the_handed_off_lead(accepted, act, lead_of, clock):
    act(handoff_lead, lead_id=accepted, actor="alice@acme.io", now=clock.now)
    act(accept_lead, lead_id=accepted, actor="bob@acme.io", now=clock.now)
    assert lead_of(accepted) == ("accepted", "bob@acme.io")
    with pytest.raises(InvalidMove, match="already with an account executive"):
        act(handoff_lead, lead_id=accepted, actor="bob@acme.io", now=clock.now)
