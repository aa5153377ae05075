"""The survey over the API: an admin opens a round, three members answer, results hold back a small team."""

from datetime import timedelta

import pytest

from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.users.schemas import UserIn
from revteam.users.service import add_user

from survey_answers import answers_totalling

SALES = ("s1@acme.io", "s2@acme.io", "s3@acme.io")


@pytest.fixture
def members(engine, admin, mia, sam):
    with session_scope(engine) as session:
        for email in SALES:
            add_user(session, UserIn(email=email, name=email, role="sales", team="na-sdr", password="correct-horse"),
                     actor="test")


def test_members_answer_over_the_api_and_a_team_of_one_never_shows(bearer, client, engine, survey, members):
    closes = (utcnow() + timedelta(days=7)).isoformat()
    opened = client.post("/api/survey/rounds", headers=bearer("root@acme.io"),
                         json={"name": "2026-h2", "closes_at": closes})
    assert opened.status_code == 201 and opened.json()["answers"] == 0
    refused = client.post("/api/survey/rounds", headers=bearer("mia@acme.io"),
                          json={"name": "other", "closes_at": closes})
    assert refused.status_code == 403
    for email, total in zip(SALES, (50, 60, 70), strict=True):
        answered = client.post("/api/survey/rounds/2026-h2/answers", headers=bearer(email),
                               json={"answers": answers_totalling(survey, total)})
        assert answered.status_code == 201, answered.text
    client.post("/api/survey/rounds/2026-h2/answers", headers=bearer("mia@acme.io"),
                json={"answers": answers_totalling(survey, 95)})
    twice = client.post("/api/survey/rounds/2026-h2/answers", headers=bearer(SALES[0]),
                        json={"answers": answers_totalling(survey, 20)})
    assert twice.status_code == 409
    report = client.get("/api/survey/rounds/2026-h2/results", headers=bearer("root@acme.io")).json()
    assert report["teams"]["sales"] == {"score": 60.0, "stage": "Aligned", "answers": 3}
    assert report["teams"]["marketing"] == {"score": None, "stage": None, "answers": 1}
    assert report["overall"] == {"score": None, "stage": None, "answers": 4}  # less sales' 60 it would be mia's
    own = client.get("/api/survey/rounds/2026-h2/results", headers=bearer("mia@acme.io")).json()
    assert list(own["teams"]) == ["marketing"] and own["gaps"] == []


def test_an_answer_out_of_range_is_a_422_naming_the_statement(bearer, client, engine, survey, members):
    client.post("/api/survey/rounds", headers=bearer("root@acme.io"),
                json={"name": "r", "closes_at": (utcnow() + timedelta(days=7)).isoformat()})
    bad = client.post("/api/survey/rounds/r/answers", headers=bearer(SALES[0]),
                      json={"answers": answers_totalling(survey, 60) | {"no_blame": 6}})
    assert bad.status_code == 422 and "no_blame" in bad.text
