"""The scorecard per sales team, pod and rep, on the hand-built story of test_gtm_story.py: each group's
figure is the metric it reuses kept to the group's leads, its lead figures select exactly the leads
they count, and the CLI and API answer the same groups."""

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from revteam.accounts.models import Account
from revteam.api.app import create_app
from revteam.db.session import session_scope
from revteam.errors import BadInput
from revteam.leads.models import Lead
from revteam.metrics import gtm
from revteam.metrics.scorecard import group_leads, lead_filters, scorecard
from revteam.periods import Period
from revteam.users.models import User
from revteam.users.service import get_pod, issue_token

from test_gtm_story import outbox, story  # noqa: F401 - fixtures

PERIOD = Period.parse("2026-02", "2026-03")
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _groups(engine, by: str) -> dict[str, dict]:
    with session_scope(engine) as session:
        return {group["name"]: group for group in scorecard(session, PERIOD, by=by, now=NOW)["groups"]}


def _listed(engine, **filters) -> set[int]:
    with session_scope(engine) as session:
        return set(session.scalars(select(Lead.id).where(*lead_filters(**filters))))


def _rep_speed(engine, email: str) -> dict:
    with session_scope(engine) as session:
        return next(row for row in gtm.speed_report(session, PERIOD, now=NOW)["reps"] if row["rep"] == email)


def test_each_reps_figures_are_the_metrics_kept_to_the_leads_they_own(story, engine, alice, carl, bob):
    reps = _groups(engine, "rep")
    assert set(reps) == {alice.email, carl.email, bob.email}
    winner = reps[story["reps"]["fair_game"]]
    with session_scope(engine) as session:
        scope = group_leads("rep", winner["name"])
        quality = gtm.quality_report(session, PERIOD, leads=scope)["total"]
        fair = gtm.rejection_report(session, PERIOD, leads=scope)["fair_game"]
        bookings = gtm.bookings_report(session, PERIOD, leads=scope)["total"]
    assert winner["customers_gained"]["count"] == quality["won"] == 2  # the same SDR won both
    assert winner["nrr"] == quality["nrr"] == 0.333333
    assert winner["acceptance_rate"] == 1.0  # both offers made to them accepted (test_scorecard_acceptance.py)
    assert (winner["rejected_leads"]["count"], winner["rejected_then_won"]["count"]) == (1, 1) == (
        fair["rejected_leads"], fair["won_by_another_rep"])
    assert winner["customers_kept"]["count"] == bookings["bookings"] - bookings["churned_within_window"] == 1
    rejecter = reps[story["reps"]["rejected_by"]]
    assert rejecter["customers_gained"]["count"] == rejecter["rejected_leads"]["count"] == 0
    assert reps[bob.email]["customers_gained"]["count"] == 0 and reps[bob.email]["speed_to_lead_hours"] is None


def test_a_reps_speed_is_their_row_of_the_speed_report(story, engine):
    for email in (story["reps"]["fair_game"], story["reps"]["rejected_by"]):
        group, row = _groups(engine, "rep")[email], _rep_speed(engine, email)
        assert group["speed_to_lead_hours"] == row["mql_to_accept_hours"]["median"], email
        assert group["accept_sla_rate"] == row["accept_sla"]["rate"], email


def test_a_sales_team_sums_its_members_and_marketing_is_no_sales_team(story, engine):
    teams = _groups(engine, "team")
    assert set(teams) == {"na-sdr", "mid-market-ae"}
    assert (teams["na-sdr"]["members"], teams["na-sdr"]["customers_gained"]["count"]) == (3, 2)  # alice, carl, dana
    assert teams["mid-market-ae"]["customers_gained"]["count"] == 0
    with session_scope(engine) as session:
        total = gtm.speed_report(session, PERIOD, now=NOW)["teams"]
    assert teams["na-sdr"]["speed_to_lead_hours"] == next(
        row for row in total if row["team"] == "na-sdr")["mql_to_accept_hours"]["median"]


def test_a_pod_is_scored_on_its_accounts_whole_journey(story, engine, bob):
    with session_scope(engine) as session:
        pod = get_pod(session, "alpha")
        session.execute(update(User).where(User.email == bob.email).values(pod_id=pod.id))
        account = session.get(Lead, story["won_fast"]).account_id
        session.execute(update(Account).where(Account.id == account).values(pod_id=pod.id))
    alpha = _groups(engine, "pod")["alpha"]
    assert (alpha["members"], alpha["customers_gained"]["count"]) == (1, 1)  # bob owns none of it
    assert alpha["customers_kept"]["count"] == 0  # won_fast stopped paying inside the window
    assert _listed(engine, reached="won", pod="alpha") == {story["won_fast"]}
    assert alpha["customers_gained"]["link"] == "/leads?reached=won&pod=alpha&from=2026-02&to=2026-03"


def test_each_group_figure_selects_exactly_the_leads_it_counts(story, engine):
    winner = story["reps"]["fair_game"]
    group = _groups(engine, "rep")[winner]
    assert _listed(engine, reached="won", rep=winner) == {story["won_fast"], story["fair_game"]}
    assert _listed(engine, fair_game="won", rep=winner) == {story["fair_game"]}
    assert group["rejected_then_won"]["link"] == f"/leads?fair_game=won&rep={winner.replace('@', '%40')}&from=2026-02&to=2026-03"


def test_a_kind_of_group_that_does_not_exist_is_refused(engine):
    with session_scope(engine) as session, pytest.raises(BadInput, match="'region' is not one of team, pod, rep"):
        scorecard(session, PERIOD, by="region", now=NOW)


def test_the_cli_and_the_api_answer_the_same_groups(story, engine, cli, db_url, mia):
    printed = cli("metrics", "scorecard", "--by", "rep", "--period", "2026-02..2026-03", "--json", "--db", db_url)
    assert printed.code == 0, printed.err
    by_cli = json.loads(printed.out)
    assert by_cli["by"] == "rep" and len(by_cli["groups"]) == 3
    table = cli("metrics", "scorecard", "--by", "team", "--period", "2026-02..2026-03", "--db", db_url)
    assert "na-sdr" in table.out and "mid-market-ae" in table.out
    refused = cli("metrics", "scorecard", "--by", "region", "--db", db_url)
    assert refused.code == 2 and "region" in refused.err
    with session_scope(engine) as session:
        token = issue_token(session, mia.email, name="test", actor="test")
    api = TestClient(create_app(db_url))
    answer = api.get("/api/metrics/scorecard", headers={"Authorization": f"Bearer {token}"},
                     params={"from": "2026-02", "to": "2026-03", "by": "rep"})
    assert answer.status_code == 200, answer.text
    counts = {g["name"]: g["customers_gained"]["count"] for g in answer.json()["groups"]}
    assert counts == {g["name"]: g["customers_gained"]["count"] for g in by_cli["groups"]}
    assert api.get("/api/metrics/scorecard", headers={"Authorization": f"Bearer {token}"},
                   params={"by": "region"}).status_code == 422
