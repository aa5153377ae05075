import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from revteam.cultivation import service
from revteam.cultivation.models import TrackEnrollment
from revteam.cultivation.service import schedule_sweep, sweep
from revteam.db.session import session_scope
from revteam.jobs.models import Job
from tests.concurrency import SAFETY_NET_SECONDS
from tests.conftest import BACKEND


def _sweep_jobs(engine) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        query = select(Job.state, Job.run_at).where(Job.kind == "cultivation.sweep").order_by(Job.run_at)
        return [(state, run_at.strftime("%H:%M")) for state, run_at in session.execute(query)]


def test_the_sweep_job_enrolls_waiting_leads_and_schedules_the_next_sweep(engine, make_lead, tick, enrollments_of,
                                                                          clock):
    lead = make_lead("cultivating", score=20)
    with session_scope(engine) as session:
        schedule_sweep(session, now=clock.after(minutes=-5))
    tick(clock.now)
    assert len(enrollments_of(lead)) == 1
    assert _sweep_jobs(engine) == [("done", "15:00"), ("due", "15:15")]


def test_sweeps_scheduled_twice_for_one_slot_are_one_job(engine, clock):
    with session_scope(engine) as session:
        schedule_sweep(session, now=clock.now)
        schedule_sweep(session, now=clock.after(minutes=3))
    assert _sweep_jobs(engine) == [("due", "15:15")]


@pytest.mark.skipif(BACKEND != "postgresql", reason="concurrent writers race only on PostgreSQL")
def test_two_sweeps_at_once_enroll_each_lead_once(engine, make_lead, events_of, clock, monkeypatch):
    """Both sweeps read the waiting leads before either enrolls one, whatever the scheduler does."""
    leads = [make_lead("cultivating", employees=8 + n, score=20) for n in range(40)]
    both_have_read, this_thread = threading.Barrier(2, timeout=SAFETY_NET_SECONDS), threading.local()
    enroll = service.enroll_lead

    def enroll_once_both_have_read(session, **kwargs):
        if not getattr(this_thread, "waited", False):
            this_thread.waited = True
            both_have_read.wait()
        return enroll(session, **kwargs)

    monkeypatch.setattr(service, "enroll_lead", enroll_once_both_have_read)

    def one_sweep(_) -> int:
        with session_scope(engine) as session:
            return sweep(session, now=clock.now)["enrolled"]

    with ThreadPoolExecutor(max_workers=2) as pool:
        enrolled = list(pool.map(one_sweep, range(2)))
    assert sum(enrolled) == len(leads)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(TrackEnrollment)) == len(leads)
    assert all(len(events_of(lead, "track.enrolled")) == 1 for lead in leads)
