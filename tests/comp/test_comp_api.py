"""Comp over the REST API: a rep sees their own statement, a manager their team's, an admin all."""

from datetime import date

from revteam.comp.simulation import default_range
from tests.comp.scenario import win


def test_statement_visibility_and_dispute_over_the_api(bearer, client, engine, admin, alice, bob, dana, make_lead):
    win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    as_bob, as_alice, as_dana, as_root = (bearer(u.email) for u in (bob, alice, dana, admin))
    assert client.get(f"/api/comp/statements/{bob.email}/2026-01", headers=as_bob).json()["total"] == "472.50"
    assert client.get(f"/api/comp/statements/{bob.email}/2026-01", headers=as_alice).status_code == 404
    # dana manages na-sdr (alice's team), not bob's
    assert client.get(f"/api/comp/statements/{bob.email}/2026-01", headers=as_dana).status_code == 404
    assert [s["rep"] for s in client.get("/api/comp/periods/2026-01", headers=as_dana).json()["statements"]] == [
        alice.email]
    assert client.post("/api/comp/periods/2026-01/close", headers=as_bob).status_code == 403
    assert client.post("/api/comp/periods/2026-01/close", headers=as_root).status_code == 201
    stored = client.get(f"/api/comp/statements/{bob.email}/2026-01", headers=as_bob).json()
    opened = client.post(f"/api/comp/statements/{stored['id']}/disputes", headers=as_bob,
                         json={"line": 0, "expected_minor": 52_500, "reason": "no holdback agreed"})
    assert opened.status_code == 201, opened.text
    resolved = client.post(f"/api/comp/disputes/{opened.json()['id']}/resolve", headers=as_root,
                           json={"accept": False, "note": "holdback is in the plan"})
    assert resolved.json()["status"] == "rejected"


def test_recalculation_and_history_over_the_api(bearer, client, engine, admin, bob, make_lead):
    win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    as_bob, as_root = bearer(bob.email), bearer(admin.email)
    assert client.post("/api/comp/periods/2026-01/close", headers=as_root).status_code == 201
    late, _ = win(engine, make_lead, bob, mrr_minor=50_000, start=date(2026, 1, 20))
    assert client.post(f"/api/comp/statements/{bob.email}/2026-01/recalculate", headers=as_bob).status_code == 403
    answer = client.post(f"/api/comp/statements/{bob.email}/2026-01/recalculate", headers=as_root)
    assert answer.status_code == 201, answer.text
    assert (answer.json()["revision"], answer.json()["total"]) == (2, "708.75")
    assert answer.json()["difference"][0]["source"] == f"movement:{late}:2026-01-20:new"
    revisions = client.get(f"/api/comp/statements/{bob.email}", headers=as_bob).json()
    assert [(r["revision"], r["total"]) for r in revisions] == [(1, "472.50"), (2, "708.75")]


def test_what_if_over_the_api_defaults_to_the_last_twelve_months(bearer, client, engine, admin, bob, shipped_playbook):
    as_bob, as_root = bearer(bob.email), bearer(admin.email)
    body = {"playbook": shipped_playbook.read_text()}
    assert client.post("/api/comp/simulate", headers=as_bob, json=body).status_code == 403
    answer = client.post("/api/comp/simulate", headers=as_root, json=body)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["from"], answer.json()["to"]) == default_range(date.today())
    assert answer.json()["total"]["difference"] == "0.00"  # the active plan replayed as a draft changes nothing
