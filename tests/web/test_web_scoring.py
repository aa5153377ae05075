"""The scoring page shows the backtest; the lead page and the inbox show the prediction beside the score."""

import json
import re

from scoring_history import history_rows

from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.leads.scoring.predictive.models import PredictiveModel
from revteam.leads.scoring.predictive.service import predict_open_leads
from revteam.playbook.versions import active


def _trained(cli, db_url, tmp_path) -> dict:
    path = tmp_path / "history.csv"
    path.write_text(history_rows(400, open_leads=4))
    assert cli("import", "leads", str(path), "--db", db_url).code == 0
    trained = cli("scoring", "train", "--json", "--now", "2026-12-01T00:00:00Z", "--db", db_url)
    assert trained.code == 0, trained.err
    return json.loads(trained.out)


def test_the_scoring_page_shows_the_backtest_beside_the_playbooks_score(client, sign_in, mia, cli, db_url, tmp_path):
    report = _trained(cli, db_url, tmp_path)
    sign_in(mia)
    page = client.get("/scoring")
    assert page.status_code == 200
    assert re.search(r'id="model-auc">([\d.]+)<', page.text).group(1) == f"{report['test']['auc']:.3f}"
    assert re.search(r'id="rule-auc">([\d.]+)<', page.text).group(1) == f"{report['test']['rule_score_auc']:.3f}"
    calibration = page.text.split('id="calibration"')[1].split("</table>")[0]
    assert calibration.count("<tr>") == 1 + len(report["calibration"]) == 11
    assert 'id="calibration-chart" data-chart=' in page.text and report["factors"][0]["name"] in page.text


def test_before_any_model_the_page_says_how_to_get_one(client, sign_in, mia):
    sign_in(mia)
    page = client.get("/scoring").text
    assert 'id="no-model"' in page and "at least\n300 closed leads and 30 won" in page


def test_the_lead_page_shows_the_prediction_beside_the_playbooks_score(client, sign_in, admin, cli, db_url, tmp_path):
    _trained(cli, db_url, tmp_path)
    [first] = json.loads(cli("scoring", "predictions", "--json", "--db", db_url).out)[:1]
    sign_in(admin)
    page = client.get(f"/leads/{first['lead_id']}").text
    shown = re.search(r'id="predicted">Predicted: <strong>(\d+) %', page).group(1)
    assert int(shown) == round(100 * first["probability"]) and 'id="score-h">Score' in page


def test_the_inbox_shows_the_prediction_beside_the_score(client, sign_in, alice, routed_lead, engine):
    routed_lead("Nora")
    even_odds = {"columns": [], "mean": [], "scale": [], "weights": [], "intercept": 0.0}
    with session_scope(engine) as session:
        model = PredictiveModel(trained_at=utcnow(), playbook_version_id=active(session).version_id, window_days=30,
                                parameters=even_odds, report={})
        session.add(model)
        session.flush()
        predict_open_leads(session, model, now=utcnow())
    sign_in(alice)
    assert re.search(r"score 70</span> <span[^>]*>predicted 50 %", client.get("/inbox").text)
