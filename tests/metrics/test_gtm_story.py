"""A small go-to-market history through the real services, with a fake clock; shared by test_gtm_*.

February 2026 cohort, three webinar leads at US companies of 300 people; alice and carl are SDRs:
- `won_fast`: MQL 1.5 days after capture; routed Mon 2 Mar 10:00 New York, accepted 1 h later,
  touched 3 h after routing; opportunity, won from 10 Mar at 100.00 MRR, churned 1 May.
- `fair_game`: MQL half a day after capture; routed, rejected (not_ready) 2 h later, rerouted by
  dana to the other SDR, who accepts at 15:00 and wins it from 20 Mar at 50.00 MRR.
- `cold`: never an MQL.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from revteam.db.session import session_scope
from revteam.events.service import record
from revteam.leads.flow.actions import accept_lead, evaluate_lead, reject_lead, route_lead, touch_lead
from revteam.leads.models import Lead
from revteam.revenue import service as revenue
from revteam.revenue.models import Opportunity, Subscription
from revteam.users.models import User

CAPTURED = datetime(2026, 2, 2, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def outbox(monkeypatch):
    monkeypatch.setattr("revteam.notify.service.send_email", lambda **_: None)


def _lead(engine, make_lead, *, qualified_after: timedelta | None) -> int:
    """A webinar lead captured at CAPTURED, qualified `qualified_after` later (None: never)."""
    qualified = qualified_after is not None
    lead_id = make_lead("mql" if qualified else "cultivating", is_mql=qualified, created_at=CAPTURED)
    with session_scope(engine) as session:
        person_id = session.get(Lead, lead_id).person_id
        record(session, type="lead.captured", subject_type="lead", subject_id=lead_id, actor="test", at=CAPTURED,
               data={"person_id": person_id})
        if qualified:
            record(session, type="lead.qualified", subject_type="lead", subject_id=lead_id, actor="system",
                   at=CAPTURED + qualified_after, data={})
    return lead_id


def _user(session, email: str) -> User:
    return session.scalar(select(User).where(User.email == email))


def _owner(session, lead_id: int) -> User:
    return session.get(User, session.get(Lead, lead_id).owner_id)


def _win(session, lead_id: int, *, opened: datetime, start: date, mrr: int) -> Subscription:
    owner = _owner(session, lead_id)
    opportunity = revenue.open_opportunity(session, lead_id=lead_id, amount_minor=mrr * 12,
                                           expected_close=start, actor=owner.email)
    session.execute(update(Opportunity).where(Opportunity.id == opportunity.id).values(created_at=opened))
    revenue.close_won(session, opportunity_id=opportunity.id, plan="team", seats=5, mrr_minor=mrr, term_months=1,
                      start=start, promises=["SSO"], actor=owner.email)
    return session.get(Subscription, session.get(Opportunity, opportunity.id).subscription_id)


@pytest.fixture
def story(engine, alice, carl, dana, bob, mia, make_lead, clock):
    """Build the history (routed at the test clock's Monday 10:00); returns the lead ids and who took which."""
    ids = {"won_fast": _lead(engine, make_lead, qualified_after=timedelta(days=1.5)),
           "fair_game": _lead(engine, make_lead, qualified_after=timedelta(hours=12)),
           "cold": _lead(engine, make_lead, qualified_after=None)}
    with session_scope(engine) as session:
        mia_ = _user(session, mia.email)
        route_lead(session, lead_id=ids["won_fast"], actor=mia_, now=clock.now)
        route_lead(session, lead_id=ids["fair_game"], actor=mia_, now=clock.now)
        first, second = _owner(session, ids["won_fast"]), _owner(session, ids["fair_game"])
        accept_lead(session, lead_id=ids["won_fast"], actor=first, now=clock.after(hours=1))
        touch_lead(session, lead_id=ids["won_fast"], actor=first, now=clock.after(hours=3))
        reject_lead(session, lead_id=ids["fair_game"], actor=second, reason="not_ready", now=clock.after(hours=2))
        evaluate_lead(session, lead_id=ids["fair_game"], actor=_user(session, dana.email), to="reroute",
                      now=clock.after(hours=2, minutes=30))
        third = _owner(session, ids["fair_game"])
        accept_lead(session, lead_id=ids["fair_game"], actor=third, now=clock.after(hours=5))
        reps = {"won_fast": first.email, "rejected_by": second.email, "fair_game": third.email}
    with session_scope(engine) as session:
        subscription = _win(session, ids["won_fast"], opened=clock.after(days=2), start=date(2026, 3, 10),
                            mrr=10_000)
        revenue.record_change(session, subscription=subscription, day=date(2026, 5, 1), mrr_minor=0, seats=0,
                              term_months=1, plan="team", actor="sam@acme.io")
        _win(session, ids["fair_game"], opened=clock.after(days=3), start=date(2026, 3, 20), mrr=5_000)
    return {**ids, "reps": reps}


def test_the_story_routes_the_two_mqls_to_different_sdrs_and_wins_both(story, engine):
    with session_scope(engine) as session:
        states = [session.get(Lead, story[name]).state for name in ("won_fast", "fair_game", "cold")]
    assert states == ["won", "won", "cultivating"]
    assert story["reps"]["rejected_by"] != story["reps"]["fair_game"]
