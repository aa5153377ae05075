import pytest

from revteam.db.session import session_scope
from revteam.errors import NotFound
from revteam.jobs.runner import run_due
from revteam.notify.service import notify_user


def _notify_alice(engine, alice, clock, **extra):
    with session_scope(engine) as session:
        notify_user(session, user_id=alice.id, subject="New lead: Acme", text="Accept or reject within 4 h.",
                    kind="lead.routed", now=clock.now, **extra)


def test_rep_receives_the_email_over_smtp(engine, alice, smtp_inbox, use_settings, clock):
    port, inbox = smtp_inbox
    use_settings(smtp_port=port, mail_from="revteam@acme.io")
    _notify_alice(engine, alice, clock)
    assert run_due(engine, now=clock.now, worker_id="w1").ran == 1
    [message] = inbox.messages
    assert (message["To"], message["From"]) == ("alice@acme.io", "revteam@acme.io")
    assert message["Subject"] == "New lead: Acme"
    assert "Accept or reject within 4 h." in message.get_payload()


def test_sent_email_is_recorded_on_the_leads_timeline(engine, alice, smtp_inbox, use_settings, read, clock):
    use_settings(smtp_port=smtp_inbox[0])
    _notify_alice(engine, alice, clock, lead_id=42)
    run_due(engine, now=clock.now, worker_id="w1")
    [event] = read.events("notification.sent")
    assert (event.subject_type, event.subject_id) == ("lead", 42)
    assert event.data["channel"] == "email" and event.data["kind"] == "lead.routed"


def test_email_links_to_the_lead(engine, alice, smtp_inbox, use_settings, clock):
    port, inbox = smtp_inbox
    use_settings(smtp_port=port, public_url="https://revteam.acme.io")
    _notify_alice(engine, alice, clock, lead_id=42)
    run_due(engine, now=clock.now, worker_id="w1")
    assert "https://revteam.acme.io/leads/42" in inbox.messages[0].get_payload()


def test_nothing_is_sent_before_the_transaction_commits(engine, alice, smtp_inbox, use_settings, clock):
    port, inbox = smtp_inbox
    use_settings(smtp_port=port)
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            notify_user(session, user_id=alice.id, subject="x", text="y", kind="lead.routed", now=clock.now)
            raise RuntimeError("routing failed")
    assert run_due(engine, now=clock.now, worker_id="w1").total == 0
    assert inbox.messages == []


def test_unreachable_smtp_records_a_failure_and_retries_without_raising(
        engine, alice, closed_port, use_settings, read, clock):
    use_settings(smtp_port=closed_port)
    _notify_alice(engine, alice, clock)
    summary = run_due(engine, now=clock.now, worker_id="w1")
    assert (summary.ran, summary.retried) == (0, 1)
    [event] = read.events("notification.failed")
    assert (event.subject_type, event.subject_id) == ("user", alice.id)
    assert event.data["channel"] == "email" and f"127.0.0.1:{closed_port}" in event.data["error"]
    [job] = read.jobs("notify.email")
    assert (job.state, job.attempts, job.run_at) == ("due", 1, clock.after(minutes=1))


def test_email_is_delivered_once_the_smtp_server_is_back(engine, alice, smtp_inbox, closed_port, use_settings, read,
                                                         clock):
    use_settings(smtp_port=closed_port)
    _notify_alice(engine, alice, clock)
    run_due(engine, now=clock.now, worker_id="w1")
    use_settings(smtp_port=smtp_inbox[0])
    assert run_due(engine, now=clock.after(minutes=1), worker_id="w1").ran == 1
    assert len(smtp_inbox[1].messages) == 1
    assert len(read.events("notification.failed")) == 1 and len(read.events("notification.sent")) == 1


def test_notifying_an_unknown_user_is_refused(engine):
    with session_scope(engine) as session, pytest.raises(NotFound):
        notify_user(session, user_id=999, subject="x", text="y", kind="lead.routed")
