from revteam.db.session import session_scope
from revteam.jobs.models import Job

# The mid-market track: guide; 4 business days; webinar invite; 48 h; no title? skip the checklist;
# role checklist; 5 business days; customer story.


def _step_jobs(engine, state: str) -> list[Job]:
    with session_scope(engine) as session:
        return list(session.query(Job).filter_by(kind="cultivation.step", state=state).order_by(Job.id))


def test_the_next_step_waits_for_its_job(make_lead, run_sweep, tick, touches_of, clock):
    lead = make_lead("cultivating", score=20)
    run_sweep(clock.now)
    tick(clock.after(days=3))  # Thursday: four business days are not over
    assert len(touches_of(lead)) == 1
    tick(clock.after(days=4))  # Friday 10:00 in New York
    assert len(touches_of(lead)) == 2


def test_steps_advance_through_the_track_as_their_jobs_come_due(make_lead, run_sweep, tick, enrollments_of,
                                                                 events_of, touches_of, engine, clock):
    lead = make_lead("cultivating", score=20)
    run_sweep(clock.now)
    for days in (4, 6, 20):
        tick(clock.after(days=days))
    [enrollment] = enrollments_of(lead)
    assert enrollment.state == "completed" and enrollment.next_step_at is None
    assert len(touches_of(lead)) == 4
    assets = [event.data["asset"] for event in events_of(lead) if event.data.get("kind") == "touch"]
    assert assets == ["operations-playbook-guide", "webinar-invite", "role-checklist", "mid-market-customer-story"]
    assert events_of(lead)[-1].type == "track.completed"
    assert _step_jobs(engine, "due") == []


def test_a_condition_skips_the_next_step_when_it_holds(make_lead, run_sweep, tick, events_of, clock):
    lead = make_lead("cultivating", title=None, score=20)
    run_sweep(clock.now)
    for days in (4, 6, 20):
        tick(clock.after(days=days))
    assets = [event.data["asset"] for event in events_of(lead) if event.data.get("kind") == "touch"]
    assert "role-checklist" not in assets and assets[-1] == "mid-market-customer-story"


def test_a_condition_exits_the_track_when_it_holds(make_lead, rescore, run_sweep, tick, enrollments_of,
                                                   touches_of, clock):
    lead = make_lead("cultivating", score=50)  # close to the MQL threshold: the decision track
    run_sweep(clock.now)
    rescore(lead, 61)
    tick(clock.after(days=3))
    tick(clock.after(days=8))
    [enrollment] = enrollments_of(lead)
    assert enrollment.state == "exited" and enrollment.end_reason == "exited at step 5"
    assert len(touches_of(lead)) == 2  # no demo reminder


def test_a_lead_that_became_an_mql_leaves_its_track_when_its_step_comes_due(make_lead, move_lead, run_sweep, tick,
                                                                            enrollments_of, touches_of, events_of,
                                                                            clock):
    lead = make_lead("cultivating", score=20)
    run_sweep(clock.now)
    move_lead(lead, "mql")
    tick(clock.after(days=4))
    [enrollment] = enrollments_of(lead)
    assert (enrollment.state, enrollment.end_reason) == ("exited", "lead is mql")
    assert len(touches_of(lead)) == 1
    assert events_of(lead)[-1].type == "track.exited"


def test_the_sweep_takes_routed_leads_out_and_cancels_their_step(make_lead, move_lead, run_sweep, engine,
                                                                  enrollments_of, clock):
    lead = make_lead("cultivating", score=20)
    run_sweep(clock.now)
    move_lead(lead, "routed")
    assert run_sweep(clock.after(minutes=15)) == {"exited": 1, "enrolled": 0}
    assert enrollments_of(lead)[0].end_reason == "lead is routed"
    assert _step_jobs(engine, "due") == [] and len(_step_jobs(engine, "cancelled")) == 1
