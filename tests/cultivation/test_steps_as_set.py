"""A batch of step jobs runs as a set (cultivation/jobs.py `next_steps`): one claim for the enrollments
that move alike, and each step still reads what an earlier step of the same batch wrote."""

import pytest
from sqlalchemy import event, select

from revteam.cultivation import service
from revteam.db.session import session_scope
from revteam.jobs.models import Job
from revteam.jobs.service import enqueue

MID_MARKET_WAITING_AT = 2  # after operations-playbook-guide and its 4 business days' wait


@pytest.fixture
def claims(engine):
    """The UPDATEs of enrollments sent to the database."""
    sent: list[str] = []

    def note(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE TRACK_ENROLLMENTS"):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    yield sent
    event.remove(engine, "before_cursor_execute", note)


def _extra_step_job(engine, enrollment_id: int, step: int) -> None:
    """A second step job beside the one the track queued, due at the same moment, run after it."""
    with session_scope(engine) as session:
        queued = session.scalar(select(Job).where(Job.kind == service.STEP_JOB,
                                                  Job.payload["enrollment_id"].as_integer() == enrollment_id))
        enqueue(session, kind=service.STEP_JOB, run_at=queued.run_at, dedupe_key=f"extra:{enrollment_id}",
                payload={"enrollment_id": enrollment_id, "step": step})


def test_the_steps_of_a_batch_moving_alike_are_claimed_in_one_statement(make_lead, run_sweep, tick, claims,
                                                                        touches_of, clock):
    leads = [make_lead("cultivating", score=20) for _ in range(4)]
    run_sweep(clock.now)
    claims.clear()
    tick(clock.after(days=4))
    assert len(claims) == 1
    assert [len(touches_of(lead)) for lead in leads] == [2, 2, 2, 2]


def test_a_step_runs_where_an_earlier_step_of_its_batch_left_the_enrollment(make_lead, run_sweep, tick,
                                                                           enrollments_of, touches_of, engine, clock):
    lead = make_lead("cultivating", score=20)
    run_sweep(clock.now)
    [enrollment] = enrollments_of(lead)
    _extra_step_job(engine, enrollment.id, step=4)  # where the step job before it moves the enrollment
    tick(clock.after(days=4))
    assert [row.step_index for row in enrollments_of(lead)] == [7]  # both ran: webinar-invite, then role-checklist
    assert len(touches_of(lead)) == 3


def test_a_second_job_for_a_step_already_run_in_its_batch_does_nothing(make_lead, run_sweep, tick, enrollments_of,
                                                                      touches_of, events_of, engine, clock):
    lead = make_lead("cultivating", score=20)
    run_sweep(clock.now)
    [enrollment] = enrollments_of(lead)
    _extra_step_job(engine, enrollment.id, step=MID_MARKET_WAITING_AT)
    tick(clock.after(days=4))
    assert len(touches_of(lead)) == 2  # operations-playbook-guide, webinar-invite once
    assert [row.step_index for row in enrollments_of(lead)] == [4]
    assert [event.data["step"] for event in events_of(lead, "track.step")] == [0, 1, 2, 3]
