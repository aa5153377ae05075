"""The SDR plan: credit for deals on leads they accepted, and the accepted-lead-rate KPI."""

from datetime import UTC, date, datetime

from revteam.comp import service
from revteam.db.session import session_scope
from revteam.revenue import service as revenue
from revteam.routing.models import Offer


def _offer(session, lead_id, rep, stage, outcome, day):
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    session.add(Offer(lead_id=lead_id, rep_id=rep.id, stage=stage, outcome=outcome, offered_at=moment,
                      accept_by=moment, decided_at=moment))


def _handed_off(engine, make_lead, alice, bob, outcome, day) -> int:
    lead_id = make_lead("accepted", owner=bob)
    with session_scope(engine) as session:
        _offer(session, lead_id, alice, "sdr", "accepted", day)
        _offer(session, lead_id, bob, "ae", outcome, day)
    return lead_id


def _lines(engine, rep, period, rule):
    with session_scope(engine) as session:
        view = service.statement(session, rep_email=rep.email, period=period)
    return [line["amount"] for line in view["lines"] if line["rule"] == rule]


def test_sourcing_sdr_is_credited_for_the_won_deal(engine, make_lead, alice, bob):
    lead_id = _handed_off(engine, make_lead, alice, bob, "accepted", date(2026, 1, 5))
    with session_scope(engine) as session:
        opportunity = revenue.open_opportunity(session, lead_id=lead_id, amount_minor=1_200_000,
                                               expected_close=date(2026, 1, 20), actor=bob.email)
        revenue.close_won(session, opportunity_id=opportunity.id, plan="team", seats=5, mrr_minor=100_000,
                          term_months=12, start=date(2026, 1, 20), promises=[], actor=bob.email)
    # 12000 ACV x (18000 x 0.50 / 240000 = 0.0375) x 1 = 450.00, no holdback in the SDR plan
    assert _lines(engine, alice, "2026-01", "commission.new_business") == ["450.00"]


def test_accepted_lead_rate_kpi(engine, make_lead, alice, bob):
    _handed_off(engine, make_lead, alice, bob, "accepted", date(2026, 1, 5))
    _handed_off(engine, make_lead, alice, bob, "rejected", date(2026, 1, 6))
    # 1 of 2 accepted = 0.5; score (0.5 - 0.4) / (0.8 - 0.4) = 0.25; 18000 x 0.50 / 12 x 1 x 0.25 = 187.50
    assert _lines(engine, alice, "2026-01", "kpi.accepted_lead_rate") == ["187.50"]
