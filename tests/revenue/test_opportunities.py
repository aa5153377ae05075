"""Opportunities: opened from accepted leads, closed won (customer, subscription, handoff) or lost."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from revteam.accounts.models import Account
from revteam.db.session import session_scope
from revteam.errors import BadInput, InvalidMove
from revteam.events.service import history
from revteam.leads.models import Lead
from revteam.revenue import service
from revteam.revenue.models import Opportunity, Promise, Subscription


@pytest.fixture
def opportunity_id(engine, bob, make_lead) -> int:
    lead_id = make_lead("accepted", owner=bob)
    with session_scope(engine) as session:
        return service.open_opportunity(session, lead_id=lead_id, amount_minor=1_440_000,
                                        expected_close=date(2024, 3, 31), actor=bob.email).id


def _win(engine, opportunity_id, **terms):
    values = {"plan": "team", "seats": 10, "mrr_minor": 120_000, "term_months": 12, "start": date(2024, 4, 1),
              "promises": ["SSO by June"], "actor": "bob@acme.io"} | terms
    with session_scope(engine) as session:
        return service.close_won(session, opportunity_id=opportunity_id, **values)


def test_only_an_accepted_lead_becomes_an_opportunity(engine, bob, make_lead):
    lead_id = make_lead("routed", owner=bob)
    with session_scope(engine) as session, pytest.raises(InvalidMove, match="only an accepted lead"):
        service.open_opportunity(session, lead_id=lead_id, amount_minor=1, expected_close=date(2024, 1, 1),
                                 actor="bob@acme.io")


def test_cli_opens_an_opportunity_with_amount_in_major_units(engine, bob, cli, db_url, make_lead):
    lead_id = make_lead("accepted", owner=bob)
    result = cli("opps", "open", lead_id, "--amount", "14400.00", "--close", "2024-03-31", "--json", "--db", db_url)
    assert result.code == 0, result.err
    opened = json.loads(result.out)
    assert (opened["stage"], opened["amount_minor"], opened["owner_id"]) == ("open", 1_440_000, bob.id)


def test_closed_won_makes_the_customer_a_subscription_and_a_handoff(engine, opportunity_id):
    handoff = _win(engine, opportunity_id)
    with session_scope(engine) as session:
        opportunity = session.get(Opportunity, opportunity_id)
        subscription = session.get(Subscription, opportunity.subscription_id)
        lead = session.get(Lead, opportunity.lead_id)
        promises = session.scalars(select(Promise.text).where(Promise.handoff_id == handoff.id)).all()
        events = [event.type for event in history(session, "opportunity", opportunity_id)]
    assert (opportunity.stage, lead.state, subscription.account_id) == ("won", "won", opportunity.account_id)
    assert promises == ["SSO by June"]
    assert events == ["opportunity.opened", "opportunity.won"]


def test_closed_won_shows_on_the_customer_and_in_mrr(engine, opportunity_id, cli, db_url):
    _win(engine, opportunity_id)
    result = cli("customers", "show", "company1.com", "--json", "--db", db_url)
    assert result.code == 0, result.err
    view = json.loads(result.out)
    assert view["subscriptions"][0]["mrr_minor"] == 120_000
    assert view["subscriptions"][0]["renewal_date"] is not None
    assert view["mrr_history"] == [{"date": "2024-04-01", "mrr_minor": 120_000, "movement": "new", "amount": 120_000}]
    assert view["handoffs"][0]["promises"][0]["status"] == "pending"


def test_won_lead_without_account_gets_one_from_the_email_domain(engine, bob, make_lead):
    lead_id = make_lead("accepted", owner=bob, with_account=False)
    with session_scope(engine) as session:
        opportunity = service.open_opportunity(session, lead_id=lead_id, amount_minor=1,
                                               expected_close=date(2024, 1, 1), actor="bob@acme.io")
    handoff = _win(engine, opportunity.id)
    with session_scope(engine) as session:
        assert session.get(Account, handoff.account_id).domain == "company1.com"


def test_an_opportunity_is_closed_once(engine, opportunity_id):
    _win(engine, opportunity_id)
    with pytest.raises(InvalidMove, match="is won; only an open one can be closed"):
        _win(engine, opportunity_id)


def test_closed_lost_needs_a_playbook_reason(engine, opportunity_id):
    with session_scope(engine) as session, pytest.raises(BadInput, match="lost reason from the playbook .*'meh'"):
        service.close_lost(session, opportunity_id=opportunity_id, reason="meh", actor="bob@acme.io")


def test_closed_lost_loses_the_lead_with_its_reason(engine, opportunity_id, cli, db_url):
    result = cli("opps", "lost", opportunity_id, "--reason", "price", "--as", "bob@acme.io", "--db", db_url)
    assert result.code == 0, result.err
    with session_scope(engine) as session:
        opportunity = session.get(Opportunity, opportunity_id)
        lead = session.get(Lead, opportunity.lead_id)
        disposed = [e.data for e in history(session, "lead", lead.id) if e.type == "lead.disposed"]
    assert (opportunity.stage, opportunity.lost_reason, lead.state) == ("lost", "price", "lost")
    assert disposed[0]["reason"] == "price"


def test_a_good_fit_lost_deal_schedules_the_leads_return_to_cultivation(engine, opportunity_id):
    from sqlalchemy import text

    with session_scope(engine) as session:
        service.close_lost(session, opportunity_id=opportunity_id, reason="timing", actor="bob@acme.io")
    with engine.connect() as connection:
        jobs = connection.execute(text("SELECT kind FROM jobs WHERE dedupe_key LIKE :key"), {"key": "lead:%recultivate"}).scalars().all()
        disposed = connection.execute(text("SELECT count(*) FROM events WHERE type = 'lead.disposed'")).scalar()
    assert jobs == ["lead.recultivate"] and disposed == 1


def test_cli_as_a_rep_applies_their_rights(engine, bob, alice, cli, db_url, make_lead):
    lead_id = make_lead("accepted", owner=bob)
    refused = cli("opps", "open", lead_id, "--amount", "10.00", "--close", "2024-03-31", "--as", alice.email,
                  "--db", db_url)
    assert (refused.code, refused.err) == (2, f"error: no lead {lead_id}\n")
    opened = cli("opps", "open", lead_id, "--amount", "10.00", "--close", "2024-03-31", "--as", bob.email,
                 "--db", db_url)
    assert opened.code == 0, opened.err
