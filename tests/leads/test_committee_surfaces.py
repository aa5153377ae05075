"""Committee coverage where people read it: `revteam accounts ...`, the API and the account page."""

import json

import pytest

from revteam.accounts.models import Account, Person
from revteam.db.session import session_scope
from revteam.events.models import Event
from sqlalchemy import select


@pytest.fixture
def initech(engine):
    with session_scope(engine) as session:
        account = Account(name="Initech", name_normalized="initech", domain="initech.com", tier="strategic")
        other = Account(name="Hooli", name_normalized="hooli", domain="hooli.com", tier="standard")
        untargeted = Account(name="Nobody", name_normalized="nobody", domain="nobody.com")
        session.add_all([account, other, untargeted])
        session.flush()
        session.add(Person(account_id=account.id, email="nora@initech.com", email_normalized="nora@initech.com",
                           title="VP Sales", committee_role="decision_maker"))
        session.add(Person(account_id=account.id, email="priya@initech.com", email_normalized="priya@initech.com",
                           title="Procurement Manager"))
        return account.id


def test_coverage_lists_one_row_per_target_account_of_the_segment(cli, db_url, initech):
    result = cli("accounts", "coverage", "--segment", "strategic", "--json", "--db", db_url)
    assert result.code == 0, result.err
    [row] = json.loads(result.out)
    assert (row["account"], row["known"], row["engaged"]) == ("Initech", ["decision_maker"], [])
    assert row["missing"] == ["economic_buyer", "champion", "influencer", "user", "blocker"]
    assert [r["account"] for r in json.loads(cli("accounts", "coverage", "--json", "--db", db_url).out)] == [
        "Hooli", "Initech"]


def test_show_explains_a_suggested_role_beside_the_confirmed_ones(cli, db_url, initech):
    view = json.loads(cli("accounts", "show", str(initech), "--json", "--db", db_url).out)
    priya = next(p for p in view["people"] if p["email"] == "priya@initech.com")
    assert (priya["role"], priya["suggested_role"]) == (None, "economic_buyer")
    assert "'Procurement'" in priya["suggested_because"]


def test_set_role_confirms_a_role_and_records_it(cli, db_url, engine, initech):
    result = cli("accounts", "set-role", "Priya@initech.com", "economic_buyer", "--db", db_url)
    assert result.code == 0, result.err
    view = json.loads(cli("accounts", "show", str(initech), "--json", "--db", db_url).out)
    assert "economic_buyer" in view["coverage"]["known"]
    with session_scope(engine) as session:
        event = session.scalar(select(Event).where(Event.type == "person.committee_role"))
        assert (event.data["old"], event.data["new"]) == (None, "economic_buyer")


def test_a_role_the_playbook_does_not_name_is_refused(cli, db_url, initech):
    result = cli("accounts", "set-role", "priya@initech.com", "cheerleader", "--db", db_url)
    assert result.code == 2 and "committee role is one of decision_maker, economic_buyer" in result.err


def test_an_unknown_account_exits_2(cli, db_url, initech):
    result = cli("accounts", "show", "999", "--db", db_url)
    assert result.code == 2 and "no account 999" in result.err
