"""Step jobs run as a set per batch; when one of them fails, the whole set is undone and run again
one job at a time, so the others still run exactly once and only the failing one is retried."""

from sqlalchemy import select

from revteam.cultivation import service
from revteam.db.session import session_scope
from revteam.jobs.models import Job


def test_one_failing_step_leaves_the_others_of_its_batch_run_once(make_lead, run_sweep, tick, enrollments_of,
                                                                   events_of, touches_of, engine, monkeypatch, clock):
    kept, broken = make_lead("cultivating", score=20), make_lead("cultivating", score=20)
    run_sweep(clock.now)
    [broken_enrollment] = enrollments_of(broken)
    real_touch = service.touches.touch

    def touch_failing_for_one(session, *, lead, **step):
        sent = real_touch(session, lead=lead, **step)
        if lead.id == broken:
            raise RuntimeError("this lead's touch breaks after writing")
        return sent

    monkeypatch.setattr(service.touches, "touch", touch_failing_for_one)
    tick(clock.after(days=4))  # both leads' second step is due: one batch of two step jobs
    assert len(touches_of(kept)) == 2 and len(touches_of(broken)) == 1
    assert len(events_of(kept, "track.step")) == len(events_of(broken, "track.step")) + 2
    assert [enrollment.step_index for enrollment in enrollments_of(broken)] == [broken_enrollment.step_index]
    with session_scope(engine) as session:
        failed = session.scalar(select(Job).where(Job.kind == service.STEP_JOB, Job.last_error.is_not(None)))
        assert (failed.payload["enrollment_id"], failed.state, failed.attempts) == (broken_enrollment.id, "due", 1)
