"""The predictive score over HTTP: train (admins), the model's report, predictions the user may see, explain."""

import pytest
from sqlalchemy import select, update

from revteam.db.session import session_scope
from revteam.leads.models import Lead
from scoring_history import history_rows

NOW = "2026-12-01T00:00:00Z"


@pytest.fixture
def history(cli, db_url, tmp_path):
    """400 closed leads and 4 open ones, imported through `revteam import leads`."""
    path = tmp_path / "history.csv"
    path.write_text(history_rows(400, open_leads=4))
    assert cli("import", "leads", str(path), "--db", db_url).code == 0


@pytest.fixture
def trained(history, client, as_root) -> dict:
    answer = client.post("/api/scoring/train", headers=as_root)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_an_admin_trains_and_everyone_signed_in_reads_the_same_report(trained, client, alice, bearer):
    assert trained["model"] == 1 and trained["trained_on"]["leads"] == 320 and trained["test"]["leads"] == 80
    assert trained["predicted_open_leads"] == 4 and 0.5 < trained["test"]["auc"] <= 1
    report = client.get("/api/scoring/model", headers=bearer(alice.email)).json()
    same = {key: trained[key] for key in ("model", "trained_on", "test", "calibration", "factors", "window_days")}
    assert {key: report[key] for key in same} == same and report["trained_at"]


def test_training_is_for_admins_and_refused_under_the_minimum(client, as_root, alice, bearer, engine, history):
    refused = client.post("/api/scoring/train", headers=bearer(alice.email))
    assert refused.status_code == 403 and "needs an admin" in refused.json()["detail"]
    with session_scope(engine) as session:  # too little history: 400, and no model
        session.execute(update(Lead).where(Lead.state == "won", Lead.id > 40).values(state="lost"))
    short = client.post("/api/scoring/train", headers=as_root)
    assert short.status_code == 400 and "not enough history" in short.json()["detail"]
    assert client.get("/api/scoring/model", headers=as_root).status_code == 404


def test_predictions_are_the_leads_the_user_may_see(trained, client, as_root, alice, bearer, engine):
    everyone = client.get("/api/scoring/predictions", headers=as_root).json()
    assert len(everyone) == 4 and set(everyone[0]) == {"lead_id", "email", "probability"}
    assert [row["probability"] for row in everyone] == sorted((row["probability"] for row in everyone), reverse=True)
    assert client.get("/api/scoring/predictions", headers=bearer(alice.email)).json() == []
    hers = everyone[2]["lead_id"]
    with session_scope(engine) as session:
        session.execute(update(Lead).where(Lead.id == hers).values(state="accepted", owner_id=alice.id))
    assert client.get("/api/scoring/predictions", headers=bearer(alice.email)).json() == [everyone[2]]
    assert client.get("/api/scoring/predictions?limit=1&offset=1", headers=as_root).json() == [everyone[1]]


def test_explain_answers_for_a_visible_lead_and_404_otherwise(trained, client, as_root, alice, bearer, engine):
    lead = client.get("/api/scoring/predictions", headers=as_root).json()[0]
    explained = client.get(f"/api/scoring/leads/{lead['lead_id']}/explain", headers=as_root).json()
    total = explained["baseline_points"] + sum(line["points"] for line in explained["lines"])
    assert total == pytest.approx(100 * explained["probability"]) and round(explained["probability"], 4) == lead["probability"]
    hidden = client.get(f"/api/scoring/leads/{lead['lead_id']}/explain", headers=bearer(alice.email))
    assert hidden.status_code == 404
    with session_scope(engine) as session:
        missing = session.scalar(select(Lead.id).order_by(Lead.id.desc())) + 1
    assert client.get(f"/api/scoring/leads/{missing}/explain", headers=as_root).status_code == 404
    assert client.get("/api/scoring/leads/0/explain", headers=as_root).status_code == 422
    assert client.get("/api/scoring/predictions?limit=0", headers=as_root).status_code == 422
