"""A team of two never shows: not on the results page, in the API, the CLI (table or JSON) or the trend,
and neither does the overall figure that, less the teams shown, would give its answers away."""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from revteam.api.app import create_app
from revteam.db.session import session_scope
from revteam.playbook.loader import load_default_playbook
from revteam.survey import rules, service
from revteam.users.models import User
from revteam.users.schemas import UserIn
from revteam.users.service import add_user, issue_token

sys.path.insert(0, str(Path(__file__).parents[1] / "survey"))
from survey_answers import answers_totalling  # noqa: E402

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MARKETING = ("m2@acme.io", "m3@acme.io")


@pytest.fixture
def survey():
    return load_default_playbook().survey


def _round_with_a_sales_team_of_two(engine, survey, *people):
    with session_scope(engine) as session:
        for email in MARKETING:
            add_user(session, UserIn(email=email, name=email, role="marketing", team="demand-gen",
                                     password="correct-horse"), actor="test")
        rules.open_round(session, name="h1", closes_at=datetime(2026, 6, 30, tzinfo=UTC), invite=None,
                         actor="test", now=NOW)
        emails = [person.email for person in people] + list(MARKETING)
        for email, total in zip(emails, (21, 23, 80, 90, 100), strict=True):
            user = session.scalar(select(User).where(User.email == email))
            rules.answer(session, "h1", user, answers_totalling(survey, total), source="api", now=NOW)


def test_a_team_of_two_shows_on_no_page_api_cli_or_trend(engine, survey, client, sign_in, cli, db_url,
                                                          admin, alice, carl, mia):
    _round_with_a_sales_team_of_two(engine, survey, alice, carl, mia)
    sign_in(admin)
    page = client.get("/survey/h1/results").text
    assert '<div class="value" data-team="sales">—</div>' in page and "sales: hidden below 3 answers (2)" in page
    assert '<div class="value" id="overall-score">—</div>' in page and "22.0" not in page
    with session_scope(engine) as session:
        token = issue_token(session, admin.email, name="test", actor="test")
        [trend] = service.trend(session, now=NOW)
    assert trend["score"] is None and trend["stage"] is None
    api = TestClient(create_app(db_url)).get("/api/survey/rounds/h1/results",
                                             headers={"Authorization": f"Bearer {token}"}).json()
    printed = json.loads(cli("survey", "results", "h1", "--json", "--db", db_url).out)
    for report in (api, printed):
        assert report["teams"]["sales"] == {"score": None, "stage": None, "answers": 2}
        assert report["teams"]["marketing"]["score"] == 90.0 and report["overall"]["score"] is None
        assert all(line["answered"] is None for line in report["evidence"]) and report["gaps"] == []
    table = cli("survey", "results", "h1", "--db", db_url).out
    assert "score - (held back: it would show a group of fewer than 3)" in table and "22" not in table
