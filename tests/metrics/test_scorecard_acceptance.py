"""A rep's acceptance rate is accepted offers of the offers made to that rep that they decided (rejected
and expired ones count against them), from `gtm.rep_acceptance`; its two counts link to exactly the
offers they count.

On top of test_gtm_story.py's story (the winner accepted `won_fast` and `fair_game`, the rejecter
rejected `fair_game`), a third February lead is offered to the winner on 9 March and left to expire:
the accept SLA re-routes it to the rejecter, who has not decided it yet (open: not counted).
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.leads.flow.actions import route_lead
from revteam.leads.flow.clock import expire_offer
from revteam.metrics import gtm
from revteam.metrics.scorecard import scorecard
from revteam.metrics.speed_offers import figure_offers
from revteam.periods import Period
from revteam.routing.models import Offer

from test_gtm_story import _lead, _owner, _user, outbox, story  # noqa: F401 - fixtures

PERIOD = Period.parse("2026-02", "2026-03")
NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def expired(story, engine, make_lead, clock):
    lead_id = _lead(engine, make_lead, qualified_after=timedelta(hours=6))
    with session_scope(engine) as session:
        offer = route_lead(session, lead_id=lead_id, actor=_user(session, "mia@acme.io"), now=clock.after(days=7))
        assert _owner(session, lead_id).email == story["reps"]["fair_game"]  # the round robin's turn
        expire_offer(session, offer_id=offer.id, now=offer.accept_by + timedelta(minutes=1))
        assert _owner(session, lead_id).email == story["reps"]["rejected_by"]
    return {**story, "expired": lead_id}


def _offers(engine, measure: str, **group) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        found = session.scalars(select(Offer).where(*figure_offers(PERIOD, measure, NOW, **group)).order_by(Offer.id))
        return [(offer.outcome, offer.lead_id) for offer in found]


def test_a_reps_acceptance_counts_every_offer_they_decided(expired, engine):
    with session_scope(engine) as session:
        reps = {group["name"]: group for group in scorecard(session, PERIOD, by="rep", now=NOW)["groups"]}
        shared = scorecard(session, PERIOD, now=NOW)["shared"]
        total = gtm.rep_acceptance(session, PERIOD)
    winner, rejecter = reps[expired["reps"]["fair_game"]], reps[expired["reps"]["rejected_by"]]
    assert (winner["offers_accepted"]["count"], winner["offers_decided"]["count"], winner["acceptance_rate"]) == (
        2, 3, 0.666667)  # accepted won_fast and fair_game, let the third expire
    assert (rejecter["offers_accepted"]["count"], rejecter["offers_decided"]["count"], rejecter["acceptance_rate"]) == (
        0, 1, 0.0)  # rejected fair_game; the expired lead's offer to them is still open
    assert (total["accepted"], total["offers"], total["rate"]) == (2, 4, 0.5)
    assert (shared["offers_accepted"]["count"], shared["offers_decided"]["count"], shared["acceptance_rate"]) == (
        2, 4, 0.5)


def test_each_acceptance_count_selects_exactly_the_offers_it_counts(expired, engine):
    winner, rejecter = expired["reps"]["fair_game"], expired["reps"]["rejected_by"]
    assert _offers(engine, "decided", rep=winner) == [
        ("accepted", expired["won_fast"]), ("accepted", expired["fair_game"]), ("expired", expired["expired"])]
    assert _offers(engine, "accepted", rep=winner) == [("accepted", expired["won_fast"]),
                                                       ("accepted", expired["fair_game"])]
    assert _offers(engine, "decided", rep=rejecter) == [("rejected", expired["fair_game"])]
    assert len(_offers(engine, "decided", team="na-sdr")) == 4
