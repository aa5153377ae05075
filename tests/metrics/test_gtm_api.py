"""The go-to-market metrics over HTTP answer what the CLI prints."""

import json

import pytest
from fastapi.testclient import TestClient

from revteam.api.app import create_app

from test_gtm_story import outbox, story  # noqa: F401 - fixtures


@pytest.fixture
def as_mia(bearer, mia) -> dict:
    return bearer(mia.email)


@pytest.mark.parametrize("name", ["funnel", "sources", "rejections", "bookings"])
def test_endpoint_answers_the_same_report_as_the_cli(name, story, as_mia, db_url, cli):
    answer = TestClient(create_app(db_url)).get(f"/api/metrics/{name}", headers=as_mia, params={"from": "2026-01"})
    assert answer.status_code == 200, answer.text
    printed = cli("metrics", name, "--from", "2026-01", "--json", "--db", db_url)
    assert answer.json() == json.loads(printed.out)


def test_endpoint_refuses_a_period_that_runs_backwards(story, as_mia, db_url):
    answer = TestClient(create_app(db_url)).get("/api/metrics/funnel", headers=as_mia,
                                                params={"from": "2026-05", "to": "2026-01"})
    assert answer.status_code in (400, 422) and "2026-05 is after 2026-01" in answer.text


def test_endpoint_needs_a_signed_in_user(db_url):
    assert TestClient(create_app(db_url)).get("/api/metrics/speed").status_code == 401


@pytest.mark.parametrize("name", ["revenue", "funnel"])
def test_endpoint_refuses_a_month_past_year_9998_naming_the_field(name, as_mia, db_url):
    answer = TestClient(create_app(db_url)).get(f"/api/metrics/{name}", headers=as_mia,
                                                params={"from": "2026-01", "to": "9999-12"})
    assert answer.status_code == 400
    assert answer.json()["where"] == "to" and "'9999-12' is not a month" in answer.json()["detail"]
