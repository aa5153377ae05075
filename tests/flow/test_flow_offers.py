"""An offer is decided once, by routing's `decide_offer`: a second decision gets Conflict and changes nothing."""

from datetime import timedelta

import pytest

from revteam.db.session import session_scope
from revteam.errors import Conflict
from revteam.leads.flow.actions import route_lead
from revteam.routing.models import Offer, OfferOutcome
from revteam.routing.offers import decide_offer


@pytest.fixture
def offer_id(team, make_lead, act, clock):
    """The open offer of a lead routed to alice."""
    lead = make_lead()
    return act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now).id


def _read(engine, offer_id: int) -> Offer:
    with session_scope(engine) as session:
        return session.get(Offer, offer_id)


@pytest.mark.parametrize("second", [OfferOutcome.rejected, OfferOutcome.expired, OfferOutcome.accepted])
def test_an_accepted_offer_cannot_be_decided_again(offer_id, engine, clock, second):
    with session_scope(engine) as session:
        decide_offer(session, session.get(Offer, offer_id), OfferOutcome.accepted, at=clock.now)
    with pytest.raises(Conflict, match=f"offer {offer_id} is already accepted; cannot make it {second} too"):
        with session_scope(engine) as session:
            decide_offer(session, session.get(Offer, offer_id), second, at=clock.now + timedelta(hours=1),
                         reason_code="not_ready")
    offer = _read(engine, offer_id)
    assert (offer.outcome, offer.decided_at, offer.reason_code) == ("accepted", clock.now, None)


def test_a_decision_on_an_offer_read_before_another_landed_gets_conflict(offer_id, engine, clock):
    """The claim is made by the database, not by the outcome the caller read: the stale copy still says open."""
    with session_scope(engine) as late:
        stale = late.get(Offer, offer_id)
        with session_scope(engine) as first:
            decide_offer(first, first.get(Offer, offer_id), OfferOutcome.rejected, at=clock.now, reason_code="not_ready")
        assert stale.outcome == "open"
        with pytest.raises(Conflict, match="is already rejected; cannot make it expired too"):
            decide_offer(late, stale, OfferOutcome.expired, at=clock.now + timedelta(hours=4))
    offer = _read(engine, offer_id)
    assert (offer.outcome, offer.reason_code, offer.decided_at) == ("rejected", "not_ready", clock.now)


def test_accepting_sets_the_first_touch_deadline_in_business_hours(offer_id, engine, clock):
    with session_scope(engine) as session:
        decide_offer(session, session.get(Offer, offer_id), OfferOutcome.accepted, at=clock.now)
    # 24 business hours (9:00-17:30 in New York) from Monday 10:00: 7.5 + 8.5 + 8, Wednesday 17:00
    assert _read(engine, offer_id).first_touch_by == clock.now + timedelta(days=2, hours=7)
