"""Training on the closed leads: the time split, the backtest's report, refusal under the minimum."""

import json

from revteam.leads.scoring.predictive.service import split_by_time

NOW = "2026-12-01T00:00:00Z"


def test_the_earliest_four_fifths_train_and_the_latest_fifth_test():
    train, test = split_by_time(list(range(10)))
    assert (train, test) == ([0, 1, 2, 3, 4, 5, 6, 7], [8, 9])


def test_training_reports_the_model_its_history_and_its_backtest(import_history, scoring):
    import_history(400, open_leads=5)
    result = scoring("train", "--json", "--now", NOW)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["model"] == 1 and report["trained_on"]["leads"] == 320 and report["test"]["leads"] == 80
    assert report["trained_on"]["created_until"] < report["test"]["created_from"]
    assert report["test"]["auc"] > 0.6 and 0 <= report["test"]["rule_score_auc"] <= 1
    assert [row["decile"] for row in report["calibration"]] == list(range(1, 11))
    assert sum(row["leads"] for row in report["calibration"]) == 80
    assert set(report["calibration"][0]) >= {"decile", "predicted", "actual"}
    assert {"name", "weight"} <= set(report["factors"][0])
    assert any(factor["name"] == "lead.source=Partner" and factor["weight"] > 0 for factor in report["factors"])
    assert report["predicted_open_leads"] == 5


def test_training_under_the_playbooks_minimum_is_refused_and_stores_nothing(import_history, scoring):
    import_history(200)
    result = scoring("train", "--now", NOW)
    assert result.code == 2
    assert "not enough history to train a model: 200 closed leads" in result.err
    assert "at least 300 closed leads and 30 won" in result.err
    assert scoring("predictions").code == 2 and "no predictive model yet" in scoring("predictions").err


def test_the_minimum_is_the_playbooks(import_history, scoring, use_playbook):
    use_playbook("min_closed_leads: 300", "min_closed_leads: 150")
    import_history(200)
    assert scoring("train", "--now", NOW).code == 0
