"""`revteam metrics revenue` on a hand-computed history imported through `revteam import subscriptions`."""

import json

import pytest

from revteam.metrics.retention import CHURN_COUNTS

HISTORY = """account,subscription,date,mrr,seats,term_months,currency,plan
acme.io,a1,2024-01-15,100.00,10,1,USD,team
globex.com,g1,2024-01-10,1200.00,20,12,,enterprise
Initech Inc,i1,2024-02-01,50.00,5,1,usd,starter
acme.io,a1,2024-03-01,150.00,15,1,USD,team
Initech Inc,i1,2024-03-20,0,0,1,USD,starter
globex.com,g1,2024-04-05,1000.00,18,12,USD,enterprise
"""


@pytest.fixture
def imported(tmp_path, cli, db_url):
    path = tmp_path / "subscriptions.csv"
    path.write_text(HISTORY, encoding="utf-8")
    result = cli("import", "subscriptions", path, "--json", "--db", db_url)
    assert result.code == 0, result.err
    return json.loads(result.out)


def _report(cli, db_url, first, last) -> dict:
    result = cli("metrics", "revenue", "--from", first, "--to", last, "--json", "--db", db_url)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_import_lands_every_row_and_creates_the_accounts(imported):
    assert (imported["rows"], imported["landed"], imported["refused"]) == (6, 6, [])
    assert (imported["accounts_created"], imported["subscriptions_created"]) == (3, 3)


def test_months_show_each_movement_and_the_book_at_month_end(imported, cli, db_url):
    months = _report(cli, db_url, "2024-01", "2024-04")["months"]
    assert months == [
        {"month": "2024-01", "mrr_start": 0, "new": 130000, "expansion": 0, "contraction": 0, "churn": 0, "reactivation": 0,
         "mrr_end": 130000, "customers_end": 2},
        {"month": "2024-02", "mrr_start": 130000, "new": 5000, "expansion": 0, "contraction": 0, "churn": 0, "reactivation": 0,
         "mrr_end": 135000, "customers_end": 3},
        {"month": "2024-03", "mrr_start": 135000, "new": 0, "expansion": 5000, "contraction": 0, "churn": 5000, "reactivation": 0,
         "mrr_end": 135000, "customers_end": 2},
        {"month": "2024-04", "mrr_start": 135000, "new": 0, "expansion": 0, "contraction": 20000, "churn": 0, "reactivation": 0,
         "mrr_end": 115000, "customers_end": 2},
    ]


def test_honest_churn_counts_only_customers_who_could_leave(imported, cli, db_url):
    report = _report(cli, db_url, "2024-03", "2024-04")
    assert report["period"] == ["2024-03", "2024-04"]
    assert report["retention"] == {
        "customers_start": 3, "mrr_start": 135000, "nrr": 0.851852, "grr": 0.814815,
        "logo_churn": {"naive": 0.333333, "eligible": 0.5, "eligible_customers": 2},
        "revenue_churn": {"naive": 0.037037, "eligible": 0.333333},
        "gross_revenue_churn": {"naive": 0.185185, "eligible": 0.333333},
        "seat_churn": {"naive": 0.142857, "eligible": 0.333333},
        "accounts": {"lost": 1, "eligible_lost": 1, "shrank": 2, "eligible_shrank": 1},
        "what_they_count": CHURN_COUNTS,
    }


def test_a_period_with_no_cohort_has_no_rates(imported, cli, db_url):
    retention = _report(cli, db_url, "2024-01", "2024-04")["retention"]
    assert retention["customers_start"] == 0
    assert retention["nrr"] is None and retention["logo_churn"]["eligible"] is None


def test_human_view_shows_naive_and_honest_churn_with_why(imported, cli, db_url):
    result = cli("metrics", "revenue", "--from", "2024-03", "--to", "2024-04", "--db", db_url)
    assert result.code == 0, result.err
    assert "33.3%" in result.out and "50.0%" in result.out
    assert "annual contracts" in result.out


def test_a_reversed_period_is_refused(db_url, cli):
    result = cli("metrics", "revenue", "--from", "2024-05", "--to", "2024-04", "--db", db_url)
    assert result.code == 2
    assert "2024-05 is after 2024-04" in result.err


def test_a_month_that_is_not_a_month_is_refused(db_url, cli):
    result = cli("metrics", "revenue", "--from", "2024-13", "--to", "2024-14", "--db", db_url)
    assert result.code == 2
    assert "is not a month" in result.err


def test_a_month_past_year_9998_is_refused_naming_the_option(db_url, cli):
    result = cli("metrics", "revenue", "--from", "2024-03", "--to", "9999-12", "--db", db_url)
    assert result.code == 2
    assert "to: '9999-12' is not a month" in result.err and "Traceback" not in result.err
