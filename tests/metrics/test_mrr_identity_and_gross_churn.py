"""A hand-built ledger with a churn, a reactivation, an expansion and a contraction: every month adds up
(start + new + expansion + reactivation - contraction - churn = end) and gross revenue churn counts
churn plus contraction, on the database path (`revteam metrics revenue`) and the pure one alike."""

import json
from datetime import date

import pytest

from revteam.metrics.retention import revenue_report
from revteam.periods import Period
from revteam.revenue.movements import SubscriptionChange

LEDGER = """account,subscription,date,mrr,seats,term_months,currency,plan
globex.com,g1,2023-12-01,1000.00,10,12,USD,enterprise
initech.net,i1,2023-12-10,200.00,2,1,USD,team
acme.io,a1,2024-01-05,100.00,1,1,USD,starter
acme.io,a1,2024-02-10,0,0,1,USD,starter
globex.com,g1,2024-02-01,1200.00,12,12,USD,enterprise
acme.io,a1,2024-03-15,80.00,1,1,USD,starter
globex.com,g1,2024-03-01,900.00,9,12,USD,enterprise
initech.net,i1,2024-03-05,0,0,1,USD,team
"""
MONTHS = [
    {"month": "2024-01", "mrr_start": 120_000, "new": 10_000, "expansion": 0, "contraction": 0, "churn": 0,
     "reactivation": 0, "mrr_end": 130_000, "customers_end": 3},
    {"month": "2024-02", "mrr_start": 130_000, "new": 0, "expansion": 20_000, "contraction": 0, "churn": 10_000,
     "reactivation": 0, "mrr_end": 140_000, "customers_end": 2},
    {"month": "2024-03", "mrr_start": 140_000, "new": 0, "expansion": 0, "contraction": 30_000, "churn": 20_000,
     "reactivation": 8_000, "mrr_end": 98_000, "customers_end": 2},
]


@pytest.fixture
def report(tmp_path, cli, db_url) -> dict:
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    assert cli("import", "subscriptions", path, "--db", db_url).code == 0
    result = cli("metrics", "revenue", "--from", "2024-01", "--to", "2024-03", "--json", "--db", db_url)
    assert result.code == 0, result.err
    return json.loads(result.out)


def _pure_report() -> dict:
    rows = [line.split(",") for line in LEDGER.strip().splitlines()[1:]]
    changes = [SubscriptionChange(account, subscription, date.fromisoformat(day), round(float(mrr) * 100),
                                  int(seats), int(term)) for account, subscription, day, mrr, seats, term, *_ in rows]
    return revenue_report(changes, Period.parse("2024-01", "2024-03"))


def test_every_month_adds_up_with_its_reactivation(report):
    assert report["months"] == MONTHS
    for month in report["months"]:
        moved = month["new"] + month["expansion"] + month["reactivation"] - month["contraction"] - month["churn"]
        assert month["mrr_start"] + moved == month["mrr_end"], month["month"]
    assert [m["mrr_start"] for m in report["months"][1:]] == [m["mrr_end"] for m in report["months"][:-1]]


def test_gross_revenue_churn_counts_churn_and_contraction_not_expansion(report):
    retention = report["retention"]
    # Cohort: globex (1,000 annual, not up for renewal) and initech (200 monthly); acme starts in January.
    # Lost to churn and contraction: initech's 200 and globex's 100 below its start (its expansion offsets nothing).
    assert retention["mrr_start"] == 120_000
    assert retention["gross_revenue_churn"] == {"naive": 0.25, "eligible": 1.0}
    assert retention["revenue_churn"] == {"naive": 0.166667, "eligible": 1.0}
    assert retention["gross_revenue_churn"]["naive"] == round(1 - retention["grr"], 6)


def test_the_database_path_equals_the_pure_definitions(report):
    assert report == _pure_report()


def test_the_human_view_shows_gross_revenue_churn_and_what_each_revenue_churn_counts(report, cli, db_url):
    result = cli("metrics", "revenue", "--from", "2024-01", "--to", "2024-03", "--db", db_url)
    assert result.code == 0, result.err
    assert "gross revenue" in result.out and "25.0%" in result.out
    assert "revenue_churn: the start MRR of the cohort accounts lost" in " ".join(result.out.split())
    assert "gross_revenue_churn: (start MRR - each cohort account's end MRR capped" in " ".join(result.out.split())
    assert report["retention"]["accounts"] == {"lost": 1, "eligible_lost": 1, "shrank": 2, "eligible_shrank": 1}
