"""The cultivation board's SLA breaches and the speed report's misses count with one predicate.

The board lists the breaches still running (the rep can still act); the report counts every
miss in the period, including those the clock already closed. Over the same offers they agree
on the running ones, and a miss the clock closed leaves the board but stays in the report.
"""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from revteam.cultivation.board import sla_breaches
from revteam.db.session import session_scope
from revteam.leads.flow.actions import accept_lead, route_lead, touch_lead
from revteam.metrics.gtm import speed_report
from revteam.periods import Period
from revteam.users.models import User

NEXT_MONDAY = timedelta(days=7)  # past Monday's accept deadlines and the first-touch deadline of Wednesday


@pytest.fixture
def week(team, make_lead, act, lead_of, clock):
    """Monday 10:00, three leads routed: one waits, one is accepted and never called, one accepted and called."""
    waiting, untouched, worked = make_lead(), make_lead(), make_lead()
    for lead in (waiting, untouched, worked):
        act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    act(accept_lead, lead_id=untouched, actor=lead_of(untouched)[1], now=clock.now)
    act(accept_lead, lead_id=worked, actor=lead_of(worked)[1], now=clock.now)
    act(touch_lead, lead_id=worked, actor=lead_of(worked)[1], now=clock.now + timedelta(hours=1))
    return {"waiting": waiting, "untouched": untouched, "worked": worked}


def _board(engine, now) -> Counter:
    with session_scope(engine) as session:
        mia = session.scalar(select(User).where(User.email == "mia@acme.io"))
        return Counter(breach["kind"] for breach in sla_breaches(session, mia, now=now))


def _report_misses(engine, now) -> Counter:
    with session_scope(engine) as session:
        total = speed_report(session, Period(), now=now)["total"]
    return Counter({"accept": total["accept_sla"]["due"] - total["accept_sla"]["met"],
                    "first touch": total["first_touch_sla"]["due"] - total["first_touch_sla"]["met"]})


def test_board_breaches_are_the_reports_misses_while_they_run(week, engine, clock):
    later = clock.now + NEXT_MONDAY
    assert _board(engine, later) == _report_misses(engine, later) == Counter({"accept": 1, "first touch": 1})


def test_nothing_is_in_breach_before_the_deadlines(week, engine, clock):
    assert _board(engine, clock.now + timedelta(hours=1)) == _report_misses(engine, clock.now + timedelta(hours=1)) == Counter()


def test_an_expired_offer_leaves_the_board_but_stays_a_miss(week, engine, tick, lead_of, clock):
    later = clock.now + NEXT_MONDAY
    first_rep = lead_of(week["waiting"])[1]
    tick(later)  # the accept expiry reroutes the waiting lead; the new offer is not late yet
    state, rep = lead_of(week["waiting"])
    assert state == "routed" and rep != first_rep
    assert _board(engine, later) == Counter({"first touch": 1})
    assert _report_misses(engine, later) == Counter({"accept": 1, "first touch": 1})
