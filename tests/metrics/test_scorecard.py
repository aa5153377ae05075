"""The scorecard's figures are the metrics they reuse, on the hand-built story of test_gtm_story.py;
its lead figures select exactly the leads they count; CLI, API and page answer the same card."""

import json
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from revteam.api.app import create_app
from revteam.db.session import session_scope
from revteam.leads.models import Lead
from revteam.metrics import gtm
from revteam.metrics.scorecard import lead_filters, scorecard
from revteam.periods import Period
from revteam.revenue.health import record_health
from revteam.users.service import issue_token

from test_gtm_story import outbox, story  # noqa: F401 - fixtures

PERIOD = Period.parse("2026-02", "2026-03")
NOW = datetime(2026, 6, 1, tzinfo=UTC)
HEALTHY = {"active_seat_share": 0.9, "key_feature_adoption": 0.9, "outcome_achieved": True}
AT_RISK = {"active_seat_share": 0.1, "key_feature_adoption": 0.0, "outcome_achieved": False}


def _card(engine, **options) -> dict:
    with session_scope(engine) as session:
        return scorecard(session, PERIOD, now=NOW, **options)


def _listed(engine, **filters) -> set[int]:
    with session_scope(engine) as session:
        return set(session.scalars(select(Lead.id).where(*lead_filters(**filters))))


def test_every_shared_figure_is_the_metric_it_reuses(story, engine):
    card = _card(engine)["shared"]
    with session_scope(engine) as session:
        quality = gtm.quality_report(session, PERIOD)["total"]
        fair = gtm.rejection_report(session, PERIOD)["fair_game"]
        speed = gtm.speed_report(session, PERIOD, now=NOW)["total"]
        bookings = gtm.bookings_report(session, PERIOD)["total"]
        acceptance = gtm.rep_acceptance(session, PERIOD)
    assert card["customers_gained"]["count"] == quality["won"] == 2
    assert card["accepted_leads"]["count"] == quality["accepted_leads"]
    assert (card["acceptance_rate"], card["nrr"]) == (acceptance["rate"], quality["nrr"])
    assert (card["offers_accepted"]["count"], card["offers_decided"]["count"]) == (2, 3)
    assert card["speed_to_lead_hours"] == speed["mql_to_accept_hours"]["median"]
    assert card["accept_sla_rate"] == speed["accept_sla"]["rate"]
    assert (card["rejected_leads"]["count"], card["rejected_then_won"]["count"]) == (1, 1)
    assert card["rejected_then_won"]["share"] == fair["share"]
    kept = card["customers_kept"]
    assert (kept["won"], kept["churned_within_window"]) == (bookings["bookings"], bookings["churned_within_window"])
    assert kept["count"] == 1  # won_fast stopped paying in May, inside the window (one deal per customer here)


def test_each_lead_figure_selects_exactly_the_leads_it_counts(story, engine):
    assert _listed(engine, reached="won") == {story["won_fast"], story["fair_game"]}
    assert _listed(engine, fair_game="rejected") == _listed(engine, fair_game="won") == {story["fair_game"]}
    card = _card(engine)["shared"]
    assert card["rejected_then_won"]["link"] == "/leads?fair_game=won&from=2026-02&to=2026-03"
    assert card["customers_healthy"]["link"] == "/leads?reached=won&healthy=true&from=2026-02&to=2026-03"


def test_a_customer_is_healthy_by_its_latest_check(story, engine, sam):
    assert _card(engine)["shared"]["customers_healthy"]["count"] == 0
    with session_scope(engine) as session:
        account = session.get(Lead, story["fair_game"]).account_id
        record_health(session, account_id=account, success_signals=HEALTHY, happiness={}, actor=sam.email,
                      at=datetime(2026, 4, 1, tzinfo=UTC))
    assert _card(engine)["shared"]["customers_healthy"]["count"] == 1
    assert _listed(engine, reached="won", healthy=True) == {story["fair_game"]}
    with session_scope(engine) as session:
        record_health(session, account_id=account, success_signals=AT_RISK, happiness={}, actor=sam.email,
                      at=datetime(2026, 5, 1, tzinfo=UTC))
    assert _card(engine)["shared"]["customers_healthy"]["count"] == 0


def test_a_rep_sees_their_own_count_beside_the_teams(story, engine, alice, carl):
    with session_scope(engine) as session:
        for rep, wins in ((alice, 2), (carl, 1)):  # carl sees the lead he rejected, not the one he never had
            gained = scorecard(session, PERIOD, viewer=session.merge(rep), now=NOW)["shared"]["customers_gained"]
            assert (gained["count"], gained["shown"]) == (2, wins), rep.email


def test_one_team_card_has_only_that_team_and_sales_has_its_speed_rows(story, engine):
    assert set(_card(engine, team="marketing")["teams"]) == {"marketing"}
    sales = _card(engine, team="sales")["teams"]["sales"]
    assert {row["team"] for row in sales["speed_by_team"]} == {"na-sdr"}


def test_the_cli_prints_the_card_as_json_and_takes_a_period(story, engine, cli, db_url):
    printed = cli("metrics", "scorecard", "--from", "2026-02", "--to", "2026-03", "--json", "--db", db_url)
    assert printed.code == 0, printed.err
    by_period = cli("metrics", "scorecard", "--period", "2026-02..2026-03", "--team", "success", "--json",
                    "--db", db_url)
    card = json.loads(by_period.out)
    assert card["shared"] == json.loads(printed.out)["shared"] and set(card["teams"]) == {"success"}
    assert card["period"] == ["2026-02", "2026-03"]
    both = cli("metrics", "scorecard", "--period", "2026-02", "--from", "2026-01", "--db", db_url)
    assert both.code == 2 and "not both" in both.err
    assert "customers gained" in cli("metrics", "scorecard", "--period", "2026-02", "--db", db_url).out


def test_the_api_answers_the_card_for_the_signed_in_user(story, engine, mia, db_url):
    with session_scope(engine) as session:
        token = issue_token(session, mia.email, name="test", actor="test")
    answer = TestClient(create_app(db_url)).get("/api/metrics/scorecard", headers={"Authorization": f"Bearer {token}"},
                                                params={"from": "2026-02", "to": "2026-03", "team": "marketing"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["shared"]["customers_gained"]["count"] == 2 and set(answer.json()["teams"]) == {"marketing"}
    refused = TestClient(create_app(db_url)).get("/api/metrics/scorecard", headers={"Authorization": f"Bearer {token}"},
                                                 params={"team": "finance"})
    assert refused.status_code == 422
