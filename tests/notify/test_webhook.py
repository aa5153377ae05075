from revteam.db.session import session_scope
from revteam.jobs.runner import run_due
from revteam.notify.service import notify_user


def _url(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/hooks/sales"


def _notify_alice(engine, alice, clock, **extra):
    with session_scope(engine) as session:
        notify_user(session, user_id=alice.id, subject="SLA about to expire",
                    text="Lead Acme must be accepted in 30 min.", kind="sla.warning", now=clock.now, **extra)


def test_webhook_receives_a_slack_compatible_message(engine, alice, webhook_receiver, smtp_inbox, use_settings, clock):
    use_settings(smtp_port=smtp_inbox[0], webhook_url=_url(webhook_receiver))
    _notify_alice(engine, alice, clock, lead_id=7)
    assert run_due(engine, now=clock.now, worker_id="w1").ran == 2
    [body] = webhook_receiver.bodies
    assert body["text"] == "SLA about to expire: Lead Acme must be accepted in 30 min."
    assert "*SLA about to expire*" in body["blocks"][0]["text"]["text"]
    assert "Alice Sdr &lt;alice@acme.io&gt;" in body["blocks"][1]["elements"][0]["text"]


def test_webhook_500_then_200_is_retried_with_backoff(engine, alice, webhook_receiver, smtp_inbox, use_settings, read,
                                                      clock):
    use_settings(smtp_port=smtp_inbox[0], webhook_url=_url(webhook_receiver))
    webhook_receiver.statuses.append(500)
    _notify_alice(engine, alice, clock, lead_id=7)
    first = run_due(engine, now=clock.now, worker_id="w1")
    assert (first.ran, first.retried) == (1, 1)
    [failure] = read.events("notification.failed")
    assert failure.data["channel"] == "webhook" and "HTTP 500" in failure.data["error"]
    assert run_due(engine, now=clock.after(minutes=1), worker_id="w1").ran == 1
    assert len(webhook_receiver.bodies) == 2
    assert [event.data["channel"] for event in read.events("notification.sent")] == ["email", "webhook"]


def test_no_webhook_job_without_a_webhook_url(engine, alice, use_settings, read, clock):
    use_settings(webhook_url=None)
    _notify_alice(engine, alice, clock)
    assert read.jobs("notify.webhook") == []
    assert len(read.jobs("notify.email")) == 1


def test_unreachable_webhook_is_recorded_and_retried(engine, alice, closed_port, smtp_inbox, use_settings, read, clock):
    use_settings(smtp_port=smtp_inbox[0], webhook_url=f"http://127.0.0.1:{closed_port}/hook")
    _notify_alice(engine, alice, clock)
    assert run_due(engine, now=clock.now, worker_id="w1").retried == 1
    [job] = read.jobs("notify.webhook")
    assert job.state == "due" and "ConnectError" in job.last_error
