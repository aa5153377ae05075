"""A manager's moves: reassign a lead to a named rep with a reason, send leads back to cultivation, in bulk."""

import pytest
from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.errors import BadInput, Forbidden, InvalidMove, NotFound
from revteam.leads.flow.actions import accept_lead, dispose_lead, reject_lead, route_lead
from revteam.leads.flow.reassign import bulk_reassign, bulk_send_to_cultivation, reassign_lead, send_to_cultivation
from revteam.routing import sla
from revteam.routing.models import Offer, was_accepted
from revteam.users.models import User


@pytest.fixture
def alices_lead(team, make_lead, act, lead_of, clock, engine):
    """A lead routed to alice (accepted when asked): carl is away while it is routed."""

    def carl_available(available: bool) -> None:
        with session_scope(engine) as session:
            session.scalar(select(User).where(User.email == "carl@acme.io")).available = available

    def make(accepted: bool = False) -> int:
        lead = make_lead()
        carl_available(False)
        act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
        carl_available(True)
        assert lead_of(lead) == ("routed", "alice@acme.io")
        if accepted:
            act(accept_lead, lead_id=lead, actor="alice@acme.io", now=clock.now)
        return lead

    return make


def _reassign(act, lead, clock, actor="dana@acme.io", to="carl@acme.io", reason="alice is on leave"):
    return act(reassign_lead, lead_id=lead, actor=actor, to_rep=to, reason=reason, now=clock.now)


def _offers(engine, lead):
    with session_scope(engine) as session:
        return [(o.rep_id, o.outcome, o.note) for o in session.scalars(select(Offer).where(Offer.lead_id == lead)
                                                                         .order_by(Offer.id))]


def test_manager_reassigns_a_routed_lead_with_the_reason_recorded(alices_lead, act, lead_of, events_of, engine,
                                                                  clock, team):
    lead = alices_lead()
    _reassign(act, lead, clock)
    assert lead_of(lead) == ("routed", "carl@acme.io")
    event = events_of(lead, "lead.reassigned")[0]
    assert (event.actor, event.data["from"], event.data["to"], event.data["reason"]) == (
        "dana@acme.io", "alice@acme.io", "carl@acme.io", "alice is on leave")
    assert _offers(engine, lead) == [(team["alice"].id, "withdrawn", "alice is on leave"),
                                     (team["carl"].id, "open", None)]


def test_both_reps_are_told_of_a_reassignment(alices_lead, act, jobs_of, clock):
    lead = alices_lead()
    _reassign(act, lead, clock)
    told = {job.payload["to"]: job.payload["text"] for job in jobs_of("notify.email")
            if job.payload["kind"] == "lead.reassigned"}
    assert set(told) == {"carl@acme.io", "alice@acme.io"}
    assert "reassigned lead" in told["carl@acme.io"] and "alice is on leave" in told["carl@acme.io"]


def test_reassigning_an_accepted_lead_stops_its_first_touch_clock_and_counts_no_breach(alices_lead, act, jobs_of,
                                                                                       engine, clock):
    lead = alices_lead(accepted=True)
    _reassign(act, lead, clock)
    assert [job.state for job in jobs_of("sla.first_touch_expiry")] == ["cancelled"]
    with session_scope(engine) as session:
        late = session.scalar(select(func.count()).select_from(Offer).where(sla.breached(clock.after(days=30))))
    assert late == 1  # carl's open offer, past accept-by; alice's withdrawn one is not a breach


@pytest.mark.parametrize(("actor", "refusal"), [("alice@acme.io", Forbidden), ("bob@acme.io", NotFound),
                                                ("sam@acme.io", Forbidden)])
def test_only_who_may_route_the_lead_may_reassign_it(alices_lead, sam, act, clock, actor, refusal):
    lead = alices_lead()
    with pytest.raises(refusal):
        _reassign(act, lead, clock, actor=actor)


def test_a_manager_may_not_reassign_to_a_rep_outside_their_team(alices_lead, act, clock):
    with pytest.raises(Forbidden, match="reassign to bob@acme.io"):
        _reassign(act, alices_lead(), clock, to="bob@acme.io")


@pytest.mark.parametrize(("to", "reason", "message"), [("carl@acme.io", "  ", "say why"),
                                                       ("dana@acme.io", "x", "not an active sales rep"),
                                                       ("nobody@acme.io", "x", "not an active sales rep")])
def test_a_reassignment_needs_a_reason_and_a_rep(alices_lead, act, clock, to, reason, message):
    with pytest.raises(BadInput, match=message):
        _reassign(act, alices_lead(), clock, to=to, reason=reason)


def test_reassigning_to_the_same_rep_is_refused(alices_lead, act, clock):
    with pytest.raises(InvalidMove, match="already alice@acme.io's"):
        _reassign(act, alices_lead(), clock, to="alice@acme.io")


def test_manager_sends_an_accepted_lead_back_to_cultivation(alices_lead, act, lead_of, events_of, jobs_of, clock):
    lead = alices_lead(accepted=True)
    act(send_to_cultivation, lead_id=lead, actor="dana@acme.io", reason="not buying this year", now=clock.now)
    assert lead_of(lead) == ("cultivating", None)
    assert events_of(lead, "lead.returned")[-1].data["why"] == "sent to cultivation by dana@acme.io: not buying this year"
    assert [job.state for job in jobs_of("sla.first_touch_expiry")] == ["cancelled"]
    assert any(job.payload["to"] == "alice@acme.io" for job in jobs_of("notify.email")
               if job.payload["kind"] == "lead.withdrawn")


def test_sending_a_rejected_lead_to_cultivation_cancels_its_evaluation(alices_lead, act, lead_of, jobs_of, clock):
    lead = alices_lead()
    act(reject_lead, lead_id=lead, actor="alice@acme.io", reason="no_capacity", now=clock.now)
    act(send_to_cultivation, lead_id=lead, actor="dana@acme.io", reason="nurture first", now=clock.now)
    assert lead_of(lead) == ("cultivating", None)
    assert [job.state for job in jobs_of("lead.evaluate")] == ["cancelled"]


def test_a_rep_may_not_send_their_lead_to_cultivation(alices_lead, act, clock):
    with pytest.raises(Forbidden):
        act(send_to_cultivation, lead_id=alices_lead(), actor="alice@acme.io", reason="x", now=clock.now)


def test_bulk_send_to_cultivation_moves_each_lead_and_reports_the_refused(alices_lead, act, lead_of, clock):
    working, won = alices_lead(), alices_lead(accepted=True)
    act(dispose_lead, lead_id=won, actor="alice@acme.io", outcome="won", now=clock.now)
    result = act(bulk_send_to_cultivation, lead_ids=[working, won], actor="dana@acme.io", reason="quarter end",
                 now=clock.now)
    assert result["done"] == [working]
    assert [r["lead"] for r in result["refused"]] == [won] and "is won" in result["refused"][0]["why"]
    assert lead_of(working) == ("cultivating", None) and lead_of(won) == ("won", "alice@acme.io")


def test_bulk_reassign_moves_every_lead_it_may(alices_lead, act, lead_of, clock, make_lead):
    first, second = alices_lead(), alices_lead()
    result = act(bulk_reassign, lead_ids=[first, second], actor="dana@acme.io", to_rep="carl@acme.io",
                 reason="balance the load", now=clock.now)
    assert result == {"done": [first, second], "refused": []}
    assert lead_of(first) == lead_of(second) == ("routed", "carl@acme.io")


def test_bulk_refuses_an_empty_or_reasonless_request(team, act, clock):
    with pytest.raises(BadInput):
        act(bulk_send_to_cultivation, lead_ids=[], actor="dana@acme.io", reason="x", now=clock.now)
    with pytest.raises(BadInput, match="say why"):
        act(bulk_send_to_cultivation, lead_ids=[1], actor="dana@acme.io", reason="", now=clock.now)


@pytest.mark.parametrize(("accepted", "still_counted"), [(True, 1), (False, 0)])
def test_a_withdrawn_offer_counts_as_accepted_only_if_the_rep_had_accepted_it(alices_lead, act, engine, clock,
                                                                              accepted, still_counted):
    lead = alices_lead(accepted=accepted)
    _reassign(act, lead, clock)
    with session_scope(engine) as session:
        counted = session.scalar(select(func.count()).select_from(Offer).where(Offer.lead_id == lead, was_accepted()))
    assert counted == still_counted  # the funnel's "accepted" milestone reads this (metrics/milestones.py)
