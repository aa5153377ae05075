"""Health keeps success (evidence of value) apart from happiness; happy but not successful is at risk."""

from datetime import UTC, datetime

import pytest

from revteam.accounts.models import Account
from revteam.db.session import session_scope
from revteam.errors import BadInput
from revteam.events.service import history
from revteam.leads.models import Lead
from revteam.revenue.health import record_health, score_health

USING_IT = {"active_seat_share": 0.9, "key_feature_adoption": 0.8, "outcome_achieved": True}


def test_happy_but_not_successful_is_at_risk():
    score = score_health({"active_seat_share": 0.1}, {"nps": 10})
    assert (score.at_risk, score.risk) == (True, "happy_not_successful")


def test_successful_but_unhappy_is_flagged_but_not_at_risk():
    score = score_health(USING_IT, {"nps": 2, "sentiment": -0.5})
    assert (score.at_risk, score.risk) == (False, "unhappy")


def test_success_score_weighs_the_named_signals():
    assert score_health(USING_IT, {}).success == round(40 * 0.9 + 30 * 0.8 + 30)


def test_happiness_averages_nps_and_sentiment():
    assert score_health(USING_IT, {"nps": 8, "sentiment": 0.2}).happiness == 70


def test_an_unknown_signal_is_refused():
    with pytest.raises(BadInput, match="unknown success signal"):
        score_health({"logins": 5}, {})


def test_recording_health_writes_the_scores_and_an_event(engine):
    with session_scope(engine) as session:
        account = Account(name="Acme", name_normalized="acme", domain="acme.io")
        session.add(account)
        session.flush()
        at = datetime(2024, 5, 1, tzinfo=UTC)
        check = record_health(session, account_id=account.id, success_signals={"active_seat_share": 0.2},
                              happiness={"nps": 9}, actor="sam@acme.io", at=at)
        events = history(session, "account", account.id)
    assert (check.at_risk, check.risk) == (True, "happy_not_successful")
    assert events[-1].type == "health.recorded" and events[-1].data["at_risk"] is True


def test_cli_records_health_and_customer_shows_it(engine, cli, db_url, sam):
    with session_scope(engine) as session:
        session.add(Account(name="Acme", name_normalized="acme", domain="acme.io"))
    result = cli("customers", "health", "acme.io", "--as", sam.email, "--signal", "active_seat_share=0.2",
                 "--nps", "9", "--db", db_url)
    assert result.code == 0, result.err
    assert "AT RISK (happy_not_successful)" in result.out
    shown = cli("customers", "show", "acme.io", "--db", db_url)
    assert "AT RISK" in shown.out


def test_cli_health_as_a_sales_rep_is_refused(engine, cli, db_url, alice, make_lead):
    lead_id = make_lead("accepted", owner=alice)
    with session_scope(engine) as session:
        domain = session.get(Account, session.get(Lead, lead_id).account_id).domain
    result = cli("customers", "health", domain, "--as", alice.email, "--nps", "9", "--db", db_url)
    assert result.code == 2 and "only admin, manager, success may record the health of" in result.err
