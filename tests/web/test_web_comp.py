"""The comp pages: a rep's statement with its dispute button, the manager's month view (closing,
resolving disputes) and the what-if page."""

from datetime import date

from revteam.comp import disputes, service
from revteam.db.session import session_scope
from revteam.users.models import User
from tests.comp.scenario import bobs_manager, closed_january, win


def test_rep_disputes_a_line_from_the_statement_page(client, sign_in, engine, bob, make_lead):
    statement_id = closed_january(engine, make_lead, bob)
    token = sign_in(bob)
    page = client.get(f"/comp/{bob.email}/2026-01")
    assert "472.50" in page.text and "Dispute" in page.text and "ACV = MRR 1000.00 x 12" in page.text
    answer = client.post(f"/comp/{bob.email}/2026-01/dispute", data={
        "csrf_token": token, "statement_id": statement_id, "line": 0, "expected": "525.00",
        "reason": "no holdback agreed"}, follow_redirects=False)
    assert answer.status_code == 303
    assert "no holdback agreed" in client.get(f"/comp/{bob.email}/2026-01").text
    month = client.get("/comp?period=2026-01")
    assert "no holdback agreed" in month.text and "525.00" in month.text


def test_an_amount_below_the_cent_is_refused_with_its_field(client, sign_in, engine, bob, make_lead):
    statement_id = closed_january(engine, make_lead, bob)
    token = sign_in(bob)
    answer = client.post(f"/comp/{bob.email}/2026-01/dispute", data={
        "csrf_token": token, "statement_id": statement_id, "line": 0, "expected": "525.005", "reason": "why"})
    assert answer.status_code == 400 and "expected" in answer.text


def test_rep_cannot_open_another_reps_statement(client, sign_in, alice, bob):
    sign_in(alice)
    assert client.get(f"/comp/{bob.email}/2026-01").status_code == 404


def test_manager_accepts_a_dispute_from_the_month_view(client, sign_in, engine, bob, make_lead):
    statement_id = closed_january(engine, make_lead, bob)
    manager = bobs_manager(engine)
    with session_scope(engine) as session:
        dispute = disputes.open_dispute(session, statement_id=statement_id, line=0, expected_minor=52_500,
                                        reason="no holdback agreed", viewer=session.get(User, bob.id),
                                        actor=bob.email)
    token = sign_in(manager)
    assert "Accept" in client.get("/comp?period=2026-01").text
    answer = client.post(f"/comp/disputes/{dispute.id}/resolve", data={
        "csrf_token": token, "period": "2026-01", "answer": "accept", "note": "deal desk agrees"},
        follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/comp?period=2026-01")
    with session_scope(engine) as session:
        view = service.statement(session, rep_email=bob.email, period="2026-01")
    assert (view["revision"], view["total"], view["lines"][-1]["rule"]) == (2, "525.00", "adjustment")


def test_admin_closes_a_month_from_the_page_and_a_rep_may_not(client, sign_in, engine, admin, bob, make_lead):
    win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    token = sign_in(bob)
    assert client.post("/comp/close", data={"csrf_token": token, "period": "2026-01"}).status_code == 403
    token = sign_in(admin)
    assert "Close 2026-01" in client.get("/comp?period=2026-01").text
    answer = client.post("/comp/close", data={"csrf_token": token, "period": "2026-01"}, follow_redirects=False)
    assert answer.status_code == 303
    assert "stored and never change" in client.get("/comp?period=2026-01").text


def test_what_if_page_replays_an_uploaded_draft_and_shows_a_bad_one_with_its_line(
        client, sign_in, engine, admin, bob, make_lead, shipped_playbook):
    closed_january(engine, make_lead, bob)
    token = sign_in(admin)
    form = client.get("/comp/simulate")
    assert form.status_code == 200 and "dispute_sla_days" in form.text  # the draft starts as the active playbook
    draft = shipped_playbook.read_text().replace("- {attainment_from: 0, multiplier: 0.5}",
                                                 "- {attainment_from: 0, multiplier: 1}", 1)
    fields = {"csrf_token": token, "from": "2026-01", "to": "2026-01", "playbook": ""}
    result = client.post("/comp/simulate", data=fields, files={"file": ("draft.yaml", draft.encode(), "text/yaml")})
    assert result.status_code == 200, result.text
    # stored 472.50; the draft without the decelerator pays 945.00
    assert 'id="total-active">472.50<' in result.text and 'id="total-draft">945.00<' in result.text
    assert f'id="gains-most">{bob.email}<' in result.text
    bad = client.post("/comp/simulate", data=fields | {"playbook": draft.replace("mode: prorated", "mode: often")})
    assert bad.status_code == 400 and "draft:" in bad.text and "clawback.mode" in bad.text


def test_a_rep_may_not_run_the_what_if(client, sign_in, bob):
    sign_in(bob)
    assert client.get("/comp/simulate").status_code == 403
