"""The customers list: MRR, plans, next renewal and latest health of each customer the viewer may see,
filtered and sorted, in keyset pages that reach every customer exactly once."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.errors import BadInput
from revteam.revenue import health, service
from revteam.revenue.customers import (
    CustomerFilters, customer_count, customer_counts, customer_page, customer_rows, parse_cursor,
)
from revteam.revenue.models import Subscription
from revteam.users.models import User

TODAY = date(2026, 3, 10)


@pytest.fixture
def won(engine, make_lead, bob):
    """Win a deal for bob from `start`; returns the customer's account id."""

    def make(*, mrr: int, plan: str = "team", term: int = 12, start: date = date(2025, 6, 15)) -> int:
        lead_id = make_lead("accepted", owner=bob)
        with session_scope(engine) as session:
            opportunity = service.open_opportunity(session, lead_id=lead_id, amount_minor=mrr * 12,
                                                   expected_close=start, actor=bob.email)
            return service.close_won(session, opportunity_id=opportunity.id, plan=plan, seats=5, mrr_minor=mrr,
                                     term_months=term, start=start, promises=["SSO"], actor=bob.email).account_id

    return make


def _page(engine, viewer_email: str | None = None, **filters):
    with session_scope(engine) as session:
        viewer = session.scalar(select(User).where(User.email == viewer_email)) if viewer_email else None
        return customer_page(session, viewer=viewer, filters=CustomerFilters(**filters), today=TODAY)


def test_a_customer_row_carries_mrr_plan_renewal_and_health_apart(engine, won, sam):
    account = won(mrr=50_000, plan="growth", start=date(2025, 6, 15))
    with session_scope(engine) as session:
        health.record_health(session, account_id=account, success_signals={"active_seat_share": 0.1},
                             happiness={"nps": 9}, actor=sam.email, at=datetime(2026, 3, 1, tzinfo=UTC))
    [row] = _page(engine)["rows"]
    assert (row["mrr_minor"], row["plans"], row["renewal_date"]) == (50_000, ["growth"], date(2026, 6, 15))
    assert (row["success"], row["happiness"], row["at_risk"], row["risk"]) == (4, 90, True, "happy_not_successful")


def test_a_monthly_customer_renews_next_month_once_this_months_day_has_passed(engine, won):
    passed, coming = won(mrr=10_000, term=1, start=date(2025, 11, 5)), won(mrr=9_000, term=1, start=date(2025, 11, 20))
    rows = _page(engine, sort="renewal")["rows"]
    assert [(row["account_id"], row["renewal_date"]) for row in rows] == [(coming, date(2026, 3, 20)),
                                                                         (passed, date(2026, 4, 5))]


def test_filters_select_paying_churned_plan_and_risk(engine, won, sam, bob):
    growth, team, churned = won(mrr=30_000, plan="growth"), won(mrr=20_000), won(mrr=10_000)
    with session_scope(engine) as session:
        subscription = session.scalar(select(Subscription).where(Subscription.account_id == churned))
        service.record_change(session, subscription=subscription, day=date(2026, 1, 1), mrr_minor=0, seats=0,
                              term_months=12, plan="team", actor=bob.email)
        health.record_health(session, account_id=team, success_signals={}, happiness={}, actor=sam.email)
    ids = lambda **f: [row["account_id"] for row in _page(engine, **f)["rows"]]  # noqa: E731
    assert ids() == [growth, team]
    assert ids(status="churned") == [churned]
    assert ids(plan="growth") == [growth]
    assert ids(at_risk=True) == [team]
    assert ids(status="all", sort="name") == sorted([growth, team, churned])  # Company 1, 2, 3


def test_keyset_pages_reach_every_customer_once_in_order(engine, won):
    made = [won(mrr=mrr) for mrr in (5_000, 9_000, 9_000, 7_000, 1_000)]
    with session_scope(engine) as session:
        every = [row["account_id"] for row in customer_rows(session, viewer=None, filters=CustomerFilters(),
                                                            today=TODAY)]
        seen, after = [], None
        while True:
            page = customer_page(session, viewer=None, filters=CustomerFilters(), today=TODAY, after=after, limit=2)
            assert page["total"] == 5
            seen += [row["account_id"] for row in page["rows"]]
            if page["next"] is None:
                break
            after = parse_cursor(page["next"], "mrr")
    assert seen == every == [made[1], made[2], made[3], made[0], made[4]]


def test_a_rep_lists_only_the_customers_of_leads_they_see(engine, won, alice, bob):
    won(mrr=5_000)
    assert _page(engine, bob.email)["total"] == 1
    assert _page(engine, alice.email)["total"] == 0


def test_an_unreadable_cursor_or_a_cohort_outcome_without_a_cohort_is_refused():
    with pytest.raises(BadInput, match="after: 'x' is not a page cursor"):
        parse_cursor("x", "mrr")
    with pytest.raises(BadInput, match="cohort: outcome and eligible need a cohort period"):
        CustomerFilters(outcome="lost")


def test_several_counts_in_one_query_are_each_filters_count_for_each_viewer(engine, won, alice, bob, sam):
    growth, churned = won(mrr=30_000, plan="growth"), won(mrr=10_000)
    won(mrr=20_000)
    with session_scope(engine) as session:
        subscription = session.scalar(select(Subscription).where(Subscription.account_id == churned))
        service.record_change(session, subscription=subscription, day=date(2026, 1, 1), mrr_minor=0, seats=0,
                              term_months=12, plan="team", actor=bob.email)
        health.record_health(session, account_id=growth, success_signals={}, happiness={}, actor=sam.email)
    filters = {"paying": CustomerFilters(), "churned": CustomerFilters(status="churned"),
               "growth": CustomerFilters(plan="growth"), "at risk": CustomerFilters(status="all", at_risk=True),
               "all": CustomerFilters(status="all")}
    with session_scope(engine) as session:
        for email in (None, bob.email, alice.email):
            viewer = session.scalar(select(User).where(User.email == email)) if email else None
            one_by_one = {name: customer_count(session, viewer=viewer, filters=chosen, today=TODAY)
                          for name, chosen in filters.items()}
            assert customer_counts(session, viewer=viewer, filters=filters, today=TODAY) == one_by_one
        assert one_by_one == dict.fromkeys(filters, 0)  # alice sees none of bob's customers
        assert customer_counts(session, viewer=None, filters=filters, today=TODAY) == {
            "paying": 2, "churned": 1, "growth": 1, "at risk": 1, "all": 3}
