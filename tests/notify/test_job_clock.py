from revteam.db.session import session_scope
from revteam.jobs import registry
from revteam.jobs.service import enqueue
from revteam.notify.service import notify_user


def test_sla_expiry_by_tick_with_a_fake_clock_emails_the_rep_in_the_same_tick(
        cli, db_url, engine, alice, smtp_inbox, use_settings, monkeypatch, clock):
    def sla_expired(session, payload, *, now):
        notify_user(session, user_id=payload["user_id"], subject="SLA expired", text="Lead 5 was escalated.",
                    kind="sla.expired", lead_id=5)

    monkeypatch.setitem(registry.HANDLERS, "test.sla", registry.Registered(run=sla_expired))
    use_settings(smtp_port=smtp_inbox[0])
    with session_scope(engine) as session:
        enqueue(session, kind="test.sla", run_at=clock.now, payload={"user_id": alice.id}, dedupe_key="offer:5:sla")
    result = cli("tick", "--now", clock.now.isoformat(), "--db", db_url)
    assert "ran 2 jobs" in result.out
    assert [message["Subject"] for message in smtp_inbox[1].messages] == ["SLA expired"]
