"""Deals on the real ledger for the comp tests: close won, change MRR, churn."""

from datetime import date

from revteam.comp import service as comp_service
from revteam.db.session import session_scope
from revteam.revenue import service
from revteam.revenue.models import Opportunity, Subscription
from revteam.users.schemas import UserIn
from revteam.users.service import add_user


def win(engine, make_lead, rep, *, mrr_minor: int, start: date, term: int = 12, account_owner: str | None = None):
    """A won deal of `rep`; returns (account id, subscription id)."""
    lead_id = make_lead("accepted", owner=rep, account_owner=account_owner)
    with session_scope(engine) as session:
        opportunity = service.open_opportunity(session, lead_id=lead_id, amount_minor=mrr_minor * 12,
                                               expected_close=start, actor=rep.email)
        service.close_won(session, opportunity_id=opportunity.id, plan="team", seats=10, mrr_minor=mrr_minor,
                          term_months=term, start=start, promises=[], actor=rep.email)
        won = session.get(Opportunity, opportunity.id)
        return won.account_id, won.subscription_id


def change(engine, subscription_id: int, *, mrr_minor: int, day: date, term: int = 12) -> None:
    with session_scope(engine) as session:
        subscription = session.get(Subscription, subscription_id)
        service.record_change(session, subscription=subscription, day=day, mrr_minor=mrr_minor, seats=10,
                              term_months=term, plan="team", actor="test")


def bobs_manager(engine):
    """Mo, the manager of bob's team (mid-market AE)."""
    with session_scope(engine) as session:
        return add_user(session, UserIn(email="mo@acme.io", name="Mo Manager", role="manager", team="mid-market-ae",
                                        password="correct-horse"), actor="test")


def closed_january(engine, make_lead, rep) -> int:
    """The rep won 1000.00 MRR on 2026-01-10 and January is closed; the id of their stored statement."""
    win(engine, make_lead, rep, mrr_minor=100_000, start=date(2026, 1, 10))
    with session_scope(engine) as session:
        [row] = [r for r in comp_service.close_period(session, period="2026-01", actor="root@acme.io") if r.rep_id == rep.id]
        return row.id
