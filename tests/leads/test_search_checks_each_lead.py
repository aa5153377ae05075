"""A search checks the visibility of each lead it found (`visible_leads(..., few=True)`), where a list
reads the reps' offers once: both forms select the same leads, people and accounts for every role,
and a search's statements never read a team's whole range of offers. Its page is chosen on the
leads' ids alone and joined afterwards, in the sort asked for.

Runs on the backend the suite runs on; the plan test reads SQLite's EXPLAIN QUERY PLAN."""

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from revteam.accounts.models import Account, Person
from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.leads.access import visible_accounts, visible_leads, visible_people
from revteam.leads.account_list import AccountFilter, filtered_accounts
from revteam.leads.lead_list import LeadFilter
from revteam.leads.models import Lead
from revteam.leads.people_list import filtered_people
from revteam.leads.queries import filtered_leads
from revteam.routing.models import Offer
from revteam.users.models import User


def _offer(engine, lead_id: int, rep: User) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        session.add(Offer(lead_id=lead_id, rep_id=rep.id, offered_at=now, accept_by=now + timedelta(hours=4),
                          outcome="rejected", decision={"rule": "test"}))


@pytest.fixture
def spread(engine, alice, bob, carl, make_lead):
    """Quinns owned by alice, bob and carl, one offered to carl and now nobody's, one never routed, and
    a Pat owned by alice: every way the policy lets a role see a lead or not."""
    leads = {"alice's": make_lead("accepted", first_name="Quinn", owner=alice),
             "bob's": make_lead("accepted", first_name="Quinn", owner=bob),
             "carl's": make_lead("accepted", first_name="Quinn", owner=carl),
             "offered to carl": make_lead(first_name="Quinn"),
             "never routed": make_lead(first_name="Quinn"),
             "alice's Pat": make_lead("accepted", first_name="Pat", owner=alice)}
    _offer(engine, leads["offered to carl"], carl)
    return leads


def _ids(session, model, condition) -> set[int]:
    return set(session.scalars(select(model.id).where(condition)))


def test_checking_each_lead_selects_what_reading_the_offers_once_does(engine, spread, admin, alice, bob, carl,
                                                                       dana, mia):
    with session_scope(engine) as session:
        for viewer in (admin, alice, bob, carl, dana, mia):
            user = session.get(User, viewer.id)
            for few in (False, True):
                assert _ids(session, Lead, visible_leads(session, user, few=few)) == \
                    _ids(session, Lead, visible_leads(session, user)), (viewer.email, few)
                assert _ids(session, Person, visible_people(session, user, few=few)) == \
                    _ids(session, Person, visible_people(session, user)), viewer.email
                assert _ids(session, Account, visible_accounts(session, user, Account.id, few=few)) == \
                    _ids(session, Account, visible_accounts(session, user, Account.id)), viewer.email


def _quinns(session, user: User) -> set[int]:
    """The viewer's leads whose person is a Quinn, read from the whole list (no search)."""
    rows = filtered_leads(session, viewer=user, limit=1_000)["rows"]
    return {row["lead"].id for row in rows if row["person"].first_name == "Quinn"}


def test_a_search_finds_in_each_group_the_quinns_the_viewer_sees_in_the_whole_list(engine, spread, admin, alice,
                                                                                   carl, dana, mia):
    expected = {admin: 5, alice: 1, carl: 2, dana: 4, mia: 5}  # dana's team: alice's, carl's, offered, unrouted
    with session_scope(engine) as session:
        for viewer, count in expected.items():
            user = session.get(User, viewer.id)
            leads = filtered_leads(session, viewer=user, lead_filter=LeadFilter(q="quinn"), limit=2)
            seen = _quinns(session, user)
            assert len(seen) == count and leads["total"] == count, viewer.email
            assert [row["lead"].id for row in leads["rows"]] == sorted(seen, reverse=True)[:2], viewer.email
            people = filtered_people(session, viewer=user, q="quinn")
            accounts = filtered_accounts(session, viewer=user, account_filter=AccountFilter(q="quinn"))
            people_of_leads = set(session.scalars(select(Lead.person_id).where(Lead.id.in_(seen))))
            accounts_of_leads = set(session.scalars(select(Lead.account_id).where(Lead.id.in_(seen))))
            assert {row["id"] for row in people["rows"]} == people_of_leads, viewer.email
            assert {row["id"] for row in accounts["rows"]} == accounts_of_leads, viewer.email
            assert (people["total"], accounts["total"]) == (count, count), viewer.email


def test_a_search_page_in_score_order_is_the_whole_lists_page(engine, spread, dana):
    with session_scope(engine) as session:
        for score, lead_id in enumerate(sorted(spread.values())):
            session.get(Lead, lead_id).score = score % 3
    with session_scope(engine) as session:
        user = session.get(User, dana.id)
        whole = [row["lead"].id for row in filtered_leads(session, viewer=user, sort="score")["rows"]
                 if row["person"].first_name == "Quinn"]
        first = filtered_leads(session, viewer=user, lead_filter=LeadFilter(q="quinn"), sort="score", limit=3)
        rest = filtered_leads(session, viewer=user, lead_filter=LeadFilter(q="quinn"), sort="score",
                              after=first["next"], limit=3)
        assert [row["lead"].id for row in first["rows"] + rest["rows"]] == whole and rest["next"] is None


def _plans(engine, run) -> list[str]:
    """The EXPLAIN QUERY PLAN lines of every statement `run` sends."""
    sent = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    with engine.connect() as connection:
        return [row[-1] for statement, parameters in sent if statement.lstrip().upper().startswith("SELECT")
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]


def test_a_managers_search_reads_each_found_leads_offers_not_the_teams(engine, spread, dana):
    if engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's EXPLAIN QUERY PLAN; PostgreSQL's planner chooses by its statistics")
    with session_scope(engine) as session:
        user = session.get(User, dana.id)

        def search():
            filtered_leads(session, viewer=user, lead_filter=LeadFilter(q="quinn"), limit=10)
            filtered_people(session, viewer=user, q="quinn", limit=10)
            filtered_accounts(session, viewer=user, account_filter=AccountFilter(q="quinn"), limit=10)
        searched = _plans(engine, search)
        listed = _plans(engine, lambda: filtered_leads(session, viewer=user, limit=10))
    assert not [line for line in searched if "ix_offers_rep_id" in line]
    assert [line for line in listed if "ix_offers_rep_id" in line]  # a whole list still reads them once
