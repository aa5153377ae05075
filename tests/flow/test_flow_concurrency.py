"""Two people acting on one lead at the same moment: exactly one wins, the other gets Conflict.

Each thread has its own session (its own connection); a barrier holds both after they read
the lead and before they write, so both act on the same version, as in a real race.
"""

import threading

import pytest
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.errors import Conflict
from revteam.leads.flow import actions as flow
from revteam.leads.models import Lead
from revteam.leads.flow.actions import accept_lead, reject_lead, route_lead
from revteam.users.models import User
from tests.concurrency import SAFETY_NET_SECONDS


@pytest.fixture
def routed(team, make_lead, act, clock):
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    return lead


@pytest.fixture
def race(engine, monkeypatch):
    """Run each (function, actor e-mail, kwargs) in its own thread at once; their results or errors."""

    def run(*actions):
        barrier = threading.Barrier(len(actions), timeout=SAFETY_NET_SECONDS)
        read = flow.require_visible

        def read_then_wait(session, user, lead_id):
            lead = read(session, user, lead_id)
            barrier.wait()
            return lead

        monkeypatch.setattr(flow, "require_visible", read_then_wait)
        outcomes: list = [None] * len(actions)

        def work(index, function, actor, kwargs):
            try:
                with session_scope(engine) as session:
                    user = session.scalar(select(User).where(User.email == actor))
                    outcomes[index] = function(session, actor=user, **kwargs)
            except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
                outcomes[index] = error

        threads = [threading.Thread(target=work, args=(i, *action)) for i, action in enumerate(actions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SAFETY_NET_SECONDS)
        return outcomes

    return run


def _one_wins(outcomes) -> Conflict:
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(conflicts) == 1 and not any(isinstance(o, Exception) and o not in conflicts for o in outcomes), outcomes
    return conflicts[0]


def test_rep_and_manager_accepting_at_once_one_wins(routed, race, lead_of, events_of, clock):
    outcomes = race((accept_lead, "alice@acme.io", {"lead_id": routed, "now": clock.now}),
                    (accept_lead, "dana@acme.io", {"lead_id": routed, "now": clock.now}))
    conflict = _one_wins(outcomes)
    assert f"lead {routed} was changed by someone else" in str(conflict)
    assert lead_of(routed) == ("accepted", "alice@acme.io")
    assert len(events_of(routed, "lead.accepted")) == 1


def test_one_rep_clicking_twice_accepts_once(routed, race, events_of, clock):
    outcomes = race((accept_lead, "alice@acme.io", {"lead_id": routed, "now": clock.now}),
                    (accept_lead, "alice@acme.io", {"lead_id": routed, "now": clock.now}))
    _one_wins(outcomes)
    assert len(events_of(routed, "lead.accepted")) == 1


def test_accept_and_reject_at_once_leave_one_story(routed, race, lead_of, events_of, clock):
    outcomes = race((accept_lead, "alice@acme.io", {"lead_id": routed, "now": clock.now}),
                    (reject_lead, "dana@acme.io", {"lead_id": routed, "now": clock.now, "reason": "not_ready"}))
    _one_wins(outcomes)
    decided = events_of(routed, "lead.accepted") + events_of(routed, "lead.rejected")
    assert len(decided) == 1
    assert lead_of(routed)[0] == {"lead.accepted": "accepted", "lead.rejected": "rejected"}[decided[0].type]


def test_two_leads_routed_at_once_go_round_the_team(team, make_lead, race, lead_of, clock):
    first, second = make_lead(), make_lead()
    outcomes = race((route_lead, "mia@acme.io", {"lead_id": first, "now": clock.now}),
                    (route_lead, "dana@acme.io", {"lead_id": second, "now": clock.now}))
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert {lead_of(first)[1], lead_of(second)[1]} == {"alice@acme.io", "carl@acme.io"}


@pytest.mark.parametrize("second", ["accept", "reject"])
def test_a_second_click_that_read_the_lead_before_the_first_committed_gets_conflict(
        routed, engine, monkeypatch, events_of, clock, second):
    """The move is claimed before the offer is looked up: the late click learns the lead changed,
    not that its offer is missing (which the order offer-then-move said whenever the first click
    committed in between)."""
    with session_scope(engine) as late:
        stale = late.get(Lead, routed)
        with session_scope(engine) as first:
            alice = first.scalar(select(User).where(User.email == "alice@acme.io"))
            accept_lead(first, lead_id=routed, actor=alice, now=clock.now)
        monkeypatch.setattr(flow, "require_visible", lambda session, user, lead_id: stale)
        alice = late.scalar(select(User).where(User.email == "alice@acme.io"))
        with pytest.raises(Conflict, match="changed by someone else"):
            if second == "accept":
                accept_lead(late, lead_id=routed, actor=alice, now=clock.now)
            else:
                reject_lead(late, lead_id=routed, actor=alice, now=clock.now, reason="not_ready")
    assert len(events_of(routed, "lead.accepted")) == 1 and events_of(routed, "lead.rejected") == []
