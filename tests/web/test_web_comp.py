"""The comp pages: a rep's statement with its dispute button, the manager's month view."""

from datetime import date

from revteam.comp import service
from revteam.db.session import session_scope
from tests.comp.scenario import win


def test_rep_disputes_a_line_from_the_statement_page(client, sign_in, engine, bob, make_lead):
    win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    with session_scope(engine) as session:
        service.close_period(session, period="2026-01", actor="root@acme.io")
    token = sign_in(bob)
    page = client.get(f"/comp/{bob.email}/2026-01")
    assert "472.50" in page.text and "Dispute" in page.text and "ACV = MRR 1000.00 x 12" in page.text
    with session_scope(engine) as session:
        statement_id = service.history(session, rep_email=bob.email)[0]["id"]
    answer = client.post(f"/comp/{bob.email}/2026-01/dispute", data={
        "csrf_token": token, "statement_id": statement_id, "line": 0, "expected": "525.00",
        "reason": "no holdback agreed"}, follow_redirects=False)
    assert answer.status_code == 303
    month = client.get("/comp?period=2026-01")
    assert "no holdback agreed" in month.text and "525.00" in month.text


def test_rep_cannot_open_another_reps_statement(client, sign_in, alice, bob):
    sign_in(alice)
    assert client.get(f"/comp/{bob.email}/2026-01").status_code == 404
