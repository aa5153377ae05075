"""A track's touches reach the person by e-mail (a real local aiosmtpd server), each with an
unsubscribe link and the List-Unsubscribe headers; opting out, a bounce or an admin's suppression
stops every later touch, and the track says why."""

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.outreach.bounces import record_bounce
from revteam.outreach.models import OwnerTask, Suppression
from revteam.outreach.suppression import suppress_by_email

PAT = "pat@company1.com"  # make_lead's first person
LINK = re.compile(r"https://revteam\.acme\.io/unsubscribe/\S+")


def _mail_to(port: int, use_settings) -> None:
    use_settings(smtp_port=port, mail_from="marketing@acme.io", public_url="https://revteam.acme.io",
                 secret_key="a-test-secret-key-of-at-least-32-characters")


def _near_mql_lead(make_lead) -> int:
    """A lead the near-MQL track takes: roi-calculator now, pricing-guide in 2 business days, then
    (score still under 60) the demo reminder 3 business days later."""
    return make_lead("cultivating", score=50)


def test_a_track_run_end_to_end_delivers_each_touch_once(make_lead, run_sweep, tick, events_of, smtp_inbox,
                                                         use_settings, clock):
    port, inbox = smtp_inbox
    _mail_to(port, use_settings)
    lead = _near_mql_lead(make_lead)
    run_sweep(clock.now)
    assert inbox.messages == []  # nothing leaves before the job runs, after the sweep's commit
    for days in (0, 2, 5, 30):
        tick(clock.after(days=days))
    subjects = [message["Subject"] for message in inbox.messages]
    assert subjects == ["Pat, what would revteam return for Company 1?", "Pricing for Company 1",
                        "Pat, 30 minutes to see it on your own data?"]
    assert {message["To"] for message in inbox.messages} == {PAT}
    assert [event.data["asset"] for event in events_of(lead, "touch.sent")] == [
        "roi-calculator", "pricing-guide", "book-a-demo-reminder"]


def test_every_email_carries_its_signed_unsubscribe_link_and_headers(make_lead, run_sweep, tick, smtp_inbox,
                                                                     use_settings, clock):
    port, inbox = smtp_inbox
    _mail_to(port, use_settings)
    _near_mql_lead(make_lead)
    run_sweep(clock.now)
    tick(clock.now)
    [message] = inbox.messages
    [link] = LINK.findall(message.get_payload())
    assert "".join(message["List-Unsubscribe"].split()) == f"<{link}>"  # a long header may be folded
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["From"] == "marketing@acme.io"


def test_the_unsubscribe_link_stops_every_later_touch(make_lead, run_sweep, tick, events_of, smtp_inbox,
                                                      use_settings, client, engine, clock):
    port, inbox = smtp_inbox
    _mail_to(port, use_settings)
    lead = _near_mql_lead(make_lead)
    run_sweep(clock.now)
    tick(clock.now)
    [link] = LINK.findall(inbox.messages[0].get_payload())
    path = urlsplit(link).path
    assert "Stop every e-mail we send to pat@company1.com?" in client.get(path).text  # no sign-in needed
    answer = client.post(path)
    assert answer.status_code == 200 and "receives no more e-mails from us" in answer.text
    for days in (2, 5, 30):
        tick(clock.after(days=days))
    assert len(inbox.messages) == 1
    skipped = events_of(lead, "touch.skipped")
    assert [(event.data["asset"], event.data["why"]) for event in skipped] == [
        ("pricing-guide", "opt out: unsubscribe link"), ("book-a-demo-reminder", "opt out: unsubscribe link")]
    [suppressed] = events_of(lead, "person.suppressed")
    assert suppressed.data["kind"] == "opt_out"


def test_a_damaged_unsubscribe_link_is_refused_and_changes_nothing(client, make_lead, engine):
    make_lead("cultivating")
    answer = client.post("/unsubscribe/MQ.forged-signature")
    assert answer.status_code == 404 and "not valid" in answer.text
    with session_scope(engine) as session:
        assert session.scalars(select(Suppression)).all() == []


def test_a_bounce_stops_the_touches_and_goes_on_the_timeline(make_lead, run_sweep, tick, events_of, smtp_inbox,
                                                             use_settings, engine, clock):
    port, inbox = smtp_inbox
    _mail_to(port, use_settings)
    lead = _near_mql_lead(make_lead)
    run_sweep(clock.now)
    tick(clock.now)
    with session_scope(engine) as session:
        record_bounce(session, email=PAT, at=clock.after(hours=1), reason="550 mailbox unknown")
    for days in (2, 5, 30):
        tick(clock.after(days=days))
    assert len(inbox.messages) == 1
    [suppressed] = events_of(lead, "person.suppressed")
    assert (suppressed.data["kind"], suppressed.data["reason"]) == ("bounce", "hard bounce: 550 mailbox unknown")
    assert {event.data["why"] for event in events_of(lead, "touch.skipped")} == {"bounce: hard bounce: 550 mailbox unknown"}


def test_a_suppressed_person_is_skipped_and_the_track_goes_on(make_lead, run_sweep, tick, events_of, enrollments_of,
                                                              touches_of, smtp_inbox, use_settings, engine, clock):
    port, inbox = smtp_inbox
    _mail_to(port, use_settings)
    lead = _near_mql_lead(make_lead)
    with session_scope(engine) as session:
        suppress_by_email(session, email=PAT, reason="asked us on the phone", actor="root@acme.io", at=clock.now)
    run_sweep(clock.now)
    for days in (0, 2, 5, 30):
        tick(clock.after(days=days))
    assert inbox.messages == [] and touches_of(lead) == []
    assert [event.data["why"] for event in events_of(lead, "touch.skipped")] == ["admin: asked us on the phone"] * 3
    assert enrollments_of(lead)[0].state == "completed"


def test_a_suppression_between_the_step_and_its_sending_still_stops_the_email(make_lead, run_sweep, tick, events_of,
                                                                              smtp_inbox, use_settings, engine, clock):
    port, inbox = smtp_inbox
    _mail_to(port, use_settings)
    lead = _near_mql_lead(make_lead)
    run_sweep(clock.now)  # the e-mail job is queued
    with session_scope(engine) as session:
        suppress_by_email(session, email=PAT, reason="left the company", actor="root@acme.io", at=clock.now)
    tick(clock.now)
    assert inbox.messages == []
    assert [event.data["asset"] for event in events_of(lead, "touch.skipped")] == ["roi-calculator"]


def test_a_touch_via_task_gives_the_owner_a_task_and_sends_nothing(make_lead, run_sweep, tick, events_of, use_playbook,
                                                                   smtp_inbox, use_settings, bob, engine, clock):
    port, inbox = smtp_inbox
    _mail_to(port, use_settings)
    use_playbook("      - touch: roi-calculator", "      - {touch: roi-calculator, via: task}")
    lead = make_lead("cultivating", score=50, owner=bob)
    run_sweep(clock.now)
    tick(clock.now)
    assert inbox.messages == []
    with session_scope(engine) as session:
        [task] = session.scalars(select(OwnerTask)).all()
        assert (task.lead_id, task.owner_id) == (lead, bob.id)
        assert task.title == "Pat, what would revteam return for Company 1?"
        assert task.source == "track:near_mql_decision step 1"
    [created] = events_of(lead, "task.created")
    assert created.data["owner_id"] == bob.id


def test_no_email_goes_out_signed_with_the_public_default_key(make_lead, run_sweep, tick, events_of, smtp_inbox,
                                                             use_settings, clock):
    port, inbox = smtp_inbox
    use_settings(smtp_port=port)  # REVTEAM_SECRET_KEY left at its public default
    lead = _near_mql_lead(make_lead)
    run_sweep(clock.now)
    assert tick(clock.now).retried == 1 and inbox.messages == []
    [failed] = events_of(lead, "touch.failed")
    assert "REVTEAM_SECRET_KEY is the public default" in failed.data["error"]


def test_an_unreachable_smtp_server_records_the_failure_and_retries(make_lead, run_sweep, tick, events_of,
                                                                    use_settings, closed_port, smtp_inbox, clock):
    use_settings(smtp_port=closed_port, secret_key="a-test-secret-key-of-at-least-32-characters")
    lead = _near_mql_lead(make_lead)
    run_sweep(clock.now)
    assert tick(clock.now).retried == 1
    [failed] = events_of(lead, "touch.failed")
    assert (failed.data["asset"], failed.data["attempt"], failed.data["final"]) == ("roi-calculator", 1, False)
    port, inbox = smtp_inbox
    _mail_to(port, use_settings)
    tick(clock.after(minutes=2))  # the first retry, after one minute of backoff
    assert [message["Subject"] for message in inbox.messages] == ["Pat, what would revteam return for Company 1?"]
