"""The sends of a batch are recorded together (one `after_send` call, one INSERT of their `touch.sent`
events); should that fail, each is recorded alone, so only the one that cannot be recorded is retried."""

from dataclasses import replace

import pytest

from revteam.jobs import registry
from revteam.outreach.touches import TOUCH_EMAIL_JOB


@pytest.fixture
def recordings(monkeypatch):
    """The payload lists `after_send` was given; `refuse` names a lead whose send cannot be recorded."""
    registered = registry.lookup(TOUCH_EMAIL_JOB)
    seen: list[list[int]] = []
    refuse: set[int] = set()

    def record(session, payloads, *, now):
        seen.append([payload["lead_id"] for payload in payloads])
        if refuse & {payload["lead_id"] for payload in payloads}:
            raise RuntimeError("the log refuses this send")
        registered.after_send(session, payloads, now=now)

    monkeypatch.setitem(registry.HANDLERS, TOUCH_EMAIL_JOB, replace(registered, after_send=record))
    return seen, refuse


def _mail_to(port: int, use_settings) -> None:
    use_settings(smtp_port=port, secret_key="a-test-secret-key-of-at-least-32-characters")


def test_the_sends_of_a_batch_are_recorded_in_one_call(make_lead, run_sweep, tick, events_of, smtp_inbox,
                                                       use_settings, recordings, clock):
    port, inbox = smtp_inbox
    _mail_to(port, use_settings)
    leads = [make_lead("cultivating", score=50) for _ in range(3)]
    run_sweep(clock.now)
    tick(clock.now)
    seen, _ = recordings
    assert [sorted(call) for call in seen] == [sorted(leads)]
    assert len(inbox.messages) == 3
    assert [len(events_of(lead, "touch.sent")) for lead in leads] == [1, 1, 1]


def test_a_send_that_cannot_be_recorded_fails_alone(make_lead, run_sweep, tick, events_of, smtp_inbox,
                                                    use_settings, recordings, clock):
    port, inbox = smtp_inbox
    _mail_to(port, use_settings)
    kept, refused = make_lead("cultivating", score=50), make_lead("cultivating", score=50)
    seen, refuse = recordings
    refuse.add(refused)
    run_sweep(clock.now)
    summary = tick(clock.now)
    assert (summary.ran, summary.retried) == (1, 1)
    assert len(events_of(kept, "touch.sent")) == 1 and events_of(refused, "touch.sent") == []
    assert [event.data["attempt"] for event in events_of(refused, "touch.failed")] == [1]
