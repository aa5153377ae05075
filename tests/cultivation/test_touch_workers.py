"""Two workers at once (threads, or processes as `tick --workers 2` forks) run each due track step, and
send each of its e-mails, exactly once."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.jobs.outcomes import RunSummary
from revteam.jobs.processes import run_due_in_processes
from revteam.jobs.runner import run_due

LEADS = 12


def test_two_workers_send_each_touch_of_each_step_exactly_once(make_lead, run_sweep, tick, smtp_inbox, use_settings,
                                                               engine, clock):
    port, inbox = smtp_inbox
    use_settings(smtp_port=port, secret_key="a-test-secret-key-of-at-least-32-characters")
    leads = [make_lead("cultivating", score=50) for _ in range(LEADS)]  # near-MQL track: roi-calculator now
    run_sweep(clock.now)
    tick(clock.now)
    inbox.messages.clear()
    due = clock.after(days=2)  # pricing-guide is due for every lead
    with ThreadPoolExecutor(max_workers=2) as pool:
        summaries = list(pool.map(lambda n: run_due(engine, now=due, worker_id=f"w{n}"), range(2)))
    assert sum(summary.ran for summary in summaries) == 2 * LEADS  # one step job and one e-mail job per lead
    assert Counter(message["To"] for message in inbox.messages) == Counter(f"pat@company{n}.com" for n in range(1, LEADS + 1))
    with session_scope(engine) as session:
        steps = session.execute(select(Event.subject_id, func.count()).where(
            Event.type == "track.step", Event.data["asset"].as_string() == "pricing-guide").group_by(Event.subject_id))
        assert dict(steps.all()) == {lead: 1 for lead in leads}


def test_two_worker_processes_share_a_tick_and_send_each_touch_exactly_once(make_lead, run_sweep, tick, smtp_inbox,
                                                                            use_settings, engine, clock):
    port, inbox = smtp_inbox
    use_settings(smtp_port=port, secret_key="a-test-secret-key-of-at-least-32-characters")
    many = 3 * LEADS
    leads = [make_lead("cultivating", score=50) for _ in range(many)]
    run_sweep(clock.now)
    tick(clock.now)
    inbox.messages.clear()
    summaries = run_due_in_processes(engine, now=clock.after(days=2), worker_id="w", workers=2, batch=2)
    # Both processes ran to the end and answered; how the jobs fell between them is the scheduler's affair.
    assert len(summaries) == 2
    assert RunSummary.of(summaries).ran == 2 * many
    assert Counter(message["To"] for message in inbox.messages) == Counter(f"pat@company{n}.com" for n in range(1, many + 1))
    with session_scope(engine) as session:
        steps = session.execute(select(Event.subject_id, func.count()).where(
            Event.type == "track.step", Event.data["asset"].as_string() == "pricing-guide").group_by(Event.subject_id))
        assert dict(steps.all()) == {lead: 1 for lead in leads}
