"""The scorecard's customers kept counts customers (accounts), and links to exactly those customers.

test_gtm_story.py's story wins two customers: `won_fast`'s stops paying inside the bookings window,
`fair_game`'s keeps paying. A third February lead on `fair_game`'s account is won too (a second deal
of a kept customer): three deals, two kept, but one customer kept of two won.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from revteam.db.session import session_scope
from revteam.leads.flow.actions import accept_lead, route_lead
from revteam.leads.models import Lead
from revteam.metrics import gtm
from revteam.metrics.scorecard import kept_among, scorecard
from revteam.periods import Period
from revteam.revenue.customers import CustomerFilters, customer_page

from test_gtm_story import _lead, _owner, _user, _win, outbox, story  # noqa: F401 - fixtures

PERIOD = Period.parse("2026-02", "2026-03")
NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def second_deal(story, engine, make_lead, clock):
    lead_id = _lead(engine, make_lead, qualified_after=timedelta(hours=6))
    with session_scope(engine) as session:
        account = session.get(Lead, story["fair_game"]).account_id
        session.execute(update(Lead).where(Lead.id == lead_id).values(account_id=account))
        route_lead(session, lead_id=lead_id, actor=_user(session, "mia@acme.io"), now=clock.after(days=7))
        accept_lead(session, lead_id=lead_id, actor=_owner(session, lead_id), now=clock.after(days=7, hours=1))
    with session_scope(engine) as session:
        _win(session, lead_id, opened=clock.after(days=8), start=date(2026, 3, 25), mrr=2_000)
    return {**story, "second_deal": lead_id, "kept_account": account}


def _listed(engine, **group) -> list[int]:
    with session_scope(engine) as session:
        filters = CustomerFilters(status="all", among=kept_among(session, PERIOD, **group))
        return [row["account_id"] for row in customer_page(session, viewer=None, filters=filters,
                                                           today=NOW.date())["rows"]]


def test_customers_kept_counts_customers_not_deals(second_deal, engine):
    with session_scope(engine) as session:
        kept = scorecard(session, PERIOD, now=NOW)["shared"]["customers_kept"]
        bookings = gtm.bookings_report(session, PERIOD)["total"]
    assert (bookings["bookings"], bookings["churned_within_window"]) == (3, 1)  # two deals kept
    assert (kept["count"], kept["won"], kept["churned_within_window"]) == (1, 2, 1)  # one customer kept
    assert kept["link"] == "/customers?kept=true&status=all&from=2026-02&to=2026-03"


def test_the_kept_figure_lists_exactly_its_customers(second_deal, engine):
    assert _listed(engine) == [second_deal["kept_account"]]
    winner = second_deal["reps"]["fair_game"]
    with session_scope(engine) as session:
        reps = {g["name"]: g["customers_kept"] for g in scorecard(session, PERIOD, by="rep", now=NOW)["groups"]}
    for rep, kept in reps.items():
        assert len(_listed(engine, rep=rep)) == kept["count"], rep
    assert reps[winner]["count"] == 1 and reps[winner]["link"].startswith("/customers?kept=true&status=all&rep=")
