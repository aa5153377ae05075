"""The scoring page in Chromium: the vendored Chart.js draws the calibration chart."""

import json

from playwright.sync_api import expect
from scoring_history import history_rows
from tests.web.conftest import sign_in_browser



def test_the_calibration_chart_draws_without_console_errors(page, live_server, mia, cli, db_url, tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(history_rows(400))
    assert cli("import", "leads", str(path), "--db", db_url).code == 0
    report = json.loads(cli("scoring", "train", "--json", "--now", "2026-12-01T00:00:00Z", "--db", db_url).out)
    sign_in_browser(page, live_server, mia)
    page.goto(f"{live_server}/scoring")
    expect(page.locator("#calibration-chart")).to_have_attribute("data-drawn", "yes")
    bars = page.evaluate("window.Chart.getChart(document.querySelector('#calibration-chart')).data.datasets[1].data")
    assert bars == [round(100 * row["actual"], 1) for row in report["calibration"]]
    assert page.errors == []
