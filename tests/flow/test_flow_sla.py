from datetime import timedelta

import pytest
from sqlalchemy import update

from revteam.db.session import session_scope
from revteam.leads.flow.actions import accept_lead, dispose_lead, reject_lead, route_lead, touch_lead
from revteam.users.models import User

ACCEPT_BY = timedelta(hours=4)  # 10:00 + 4 business hours = 14:00 the same Monday


@pytest.fixture
def routed(team, make_lead, act, clock):
    """A lead offered to alice on Monday at 10:00, to accept by 14:00."""
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    return lead


def _use_policy(use_playbook, policy: str) -> None:
    use_playbook("on_accept_expiry: escalate_and_reroute", f"on_accept_expiry: {policy}")


def test_rep_is_warned_an_hour_before_the_accept_clock_runs_out(routed, tick, events_of, outbox, clock):
    tick(clock.now + ACCEPT_BY - timedelta(minutes=30))
    assert len(events_of(routed, "lead.sla_warning")) == 1
    assert {"to": "alice@acme.io", "subject": f"Lead {routed}: accept or reject soon"} in outbox


def test_nothing_expires_before_the_deadline(routed, tick, lead_of, clock):
    tick(clock.now + ACCEPT_BY - timedelta(minutes=1))
    assert lead_of(routed) == ("routed", "alice@acme.io")


def test_expired_offer_escalates_to_the_manager_and_reroutes(routed, tick, lead_of, events_of, outbox, clock):
    tick(clock.now + ACCEPT_BY + timedelta(minutes=1))
    assert lead_of(routed) == ("routed", "carl@acme.io")
    [escalated] = events_of(routed, "lead.escalated")
    assert escalated.data["managers"] == ["dana@acme.io"] and escalated.data["rep"] == "alice@acme.io"
    assert any(mail["to"] == "dana@acme.io" and "escalated" in mail["subject"] for mail in outbox)


def test_expiry_counts_business_hours_only(team, make_lead, act, tick, lead_of, clock):
    friday_4pm = clock.after(days=4, hours=6)  # Friday 16:00 in New York
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=friday_4pm)
    tick(friday_4pm + timedelta(days=2))  # Sunday: the clock has not moved since Friday 17:30
    assert lead_of(lead) == ("routed", "alice@acme.io")
    tick(friday_4pm + timedelta(days=3, hours=2, minutes=31))  # Monday 12:31, 4 h 01 min of business time
    assert lead_of(lead) == ("routed", "carl@acme.io")


def test_accepted_in_time_the_lead_stays_with_the_rep(routed, act, tick, lead_of, events_of, clock):
    act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.after(hours=1))
    tick(clock.now + ACCEPT_BY + timedelta(hours=1))
    assert lead_of(routed) == ("accepted", "alice@acme.io")
    assert events_of(routed, "lead.escalated") == []


def test_expiry_with_nobody_else_returns_the_lead_to_cultivation(routed, engine, tick, lead_of, events_of, clock):
    with session_scope(engine) as session:
        session.execute(update(User).where(User.email == "carl@acme.io").values(available=False))
    tick(clock.now + ACCEPT_BY + timedelta(minutes=1))
    assert lead_of(routed) == ("cultivating", None)
    assert len(events_of(routed, "lead.returned")) == 1


def test_return_to_cultivation_policy(team, use_playbook, make_lead, act, tick, lead_of, events_of, clock):
    _use_policy(use_playbook, "return_to_cultivation")
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    tick(clock.now + ACCEPT_BY + timedelta(minutes=1))
    assert lead_of(lead) == ("cultivating", None)
    assert events_of(lead, "lead.escalated") == []


def test_reroute_policy_moves_on_without_telling_the_manager(team, use_playbook, make_lead, act, tick, lead_of,
                                                             events_of, clock):
    _use_policy(use_playbook, "reroute")
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    tick(clock.now + ACCEPT_BY + timedelta(minutes=1))
    assert lead_of(lead) == ("routed", "carl@acme.io")
    assert events_of(lead, "lead.escalated") == []


def test_missed_first_touch_is_escalated_to_the_manager(routed, act, tick, events_of, clock):
    act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.now)
    tick(clock.after(days=3))  # 24 business hours after Monday 10:00 is Wednesday 17:00
    [escalated] = events_of(routed, "lead.escalated")
    assert escalated.data["why"] == "first_touch_expired" and escalated.data["managers"] == ["dana@acme.io"]


def test_first_touch_in_time_is_not_escalated(routed, act, tick, events_of, clock):
    act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.now)
    act(touch_lead, lead_id=routed, actor="alice@acme.io", now=clock.after(hours=2))
    tick(clock.after(days=3))
    assert events_of(routed, "lead.escalated") == []


def test_rejected_lead_nobody_evaluates_follows_its_reason_after_an_hour(routed, act, tick, lead_of, clock):
    act(reject_lead, lead_id=routed, actor="alice@acme.io", reason="no_capacity", now=clock.now)
    tick(clock.after(minutes=30))
    assert lead_of(routed)[0] == "rejected"
    tick(clock.after(hours=1, minutes=1))
    assert lead_of(routed) == ("routed", "carl@acme.io")


def test_good_fit_lost_lead_returns_to_cultivation_after_the_delay(routed, act, tick, lead_of, events_of, clock):
    act(accept_lead, lead_id=routed, actor="alice@acme.io", now=clock.now)
    act(dispose_lead, lead_id=routed, actor="alice@acme.io", outcome="lost", reason="timing", now=clock.now)
    tick(clock.after(days=89))
    assert lead_of(routed)[0] == "lost"
    tick(clock.after(days=90, minutes=1))
    assert lead_of(routed) == ("cultivating", None)
    assert len(events_of(routed, "lead.recultivated")) == 1
