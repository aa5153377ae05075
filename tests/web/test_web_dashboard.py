"""The dashboard page in-process: the period it reads, and a bad one refused with a message."""


def test_dashboard_refuses_a_month_past_year_9998_with_a_message(client, sign_in, mia):
    sign_in(mia)
    page = client.get("/dashboard", params={"to": "9999-12"})
    assert page.status_code == 400
    assert "to: &#39;9999-12&#39; is not a month" in page.text


def test_dashboard_refuses_a_period_that_runs_backwards(client, sign_in, mia):
    sign_in(mia)
    page = client.get("/dashboard", params={"from": "2026-05", "to": "2026-01"})
    assert page.status_code == 400 and "2026-05 is after 2026-01" in page.text
