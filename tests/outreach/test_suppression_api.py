"""POST /api/bounces (one or a batch) and POST /api/suppressions: admins only, bad input 422, never a 500."""

BOUNCE = {"email": "pat@company1.com", "at": "2026-03-02T15:00:00Z", "reason": "550 user unknown"}


def test_one_bounce_suppresses_its_person(client, as_root, pat_and_sam, suppressions):
    answer = client.post("/api/bounces", json=BOUNCE, headers=as_root)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"rows": 1, "suppressed": 1, "already_suppressed": 0, "kept_for_unknown_address": 0,
                             "refused": []}
    assert [(kind, reason) for _, kind, reason in suppressions()] == [("bounce", "hard bounce: 550 user unknown")]


def test_a_batch_keeps_an_unknown_address_refuses_a_non_address_by_its_position_and_lands_the_rest(
        client, as_root, pat_and_sam):
    batch = [BOUNCE, {**BOUNCE, "email": "ghost@nowhere.com"}, {**BOUNCE, "email": "ghost"}, BOUNCE]
    report = client.post("/api/bounces", json=batch, headers=as_root).json()
    assert (report["suppressed"], report["already_suppressed"], report["kept_for_unknown_address"]) == (1, 1, 1)
    assert [row["line"] for row in report["refused"]] == [3]


def test_a_bounce_without_a_time_zone_is_refused_with_422(client, as_root, pat_and_sam, suppressions):
    answer = client.post("/api/bounces", json={**BOUNCE, "at": "2026-03-02T15:00:00"}, headers=as_root)
    assert answer.status_code == 422
    assert suppressions() == []


def test_only_an_admin_reports_bounces(client, engine, bob, pat_and_sam):
    from revteam.db.session import session_scope
    from revteam.users.service import issue_token

    with session_scope(engine) as session:
        token = issue_token(session, bob.email, name="test", actor="test")
    answer = client.post("/api/bounces", json=BOUNCE, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403


def test_an_admin_suppresses_a_person_with_a_reason(client, as_root, pat_and_sam, suppressions, suppressed_events):
    answer = client.post("/api/suppressions", json={"email": "Sam@Company2.com", "reason": "legal hold"}, headers=as_root)
    assert answer.json() == {"email": "Sam@Company2.com", "suppressed": True, "changed": True}
    again = client.post("/api/suppressions", json={"email": "sam@company2.com", "reason": "twice"}, headers=as_root)
    assert again.json()["changed"] is False
    assert [(kind, reason) for _, kind, reason in suppressions()] == [("admin", "legal hold")]
    [event] = suppressed_events(pat_and_sam[1])
    assert event.actor == "root@acme.io"


def test_suppressing_an_unknown_address_is_a_404(client, as_root, pat_and_sam):
    answer = client.post("/api/suppressions", json={"email": "ghost@nowhere.com", "reason": "x"}, headers=as_root)
    assert answer.status_code == 404
