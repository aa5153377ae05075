import pytest

from revteam.db.session import session_scope
from revteam.jobs.models import Job


@pytest.mark.parametrize(("employees", "score", "track"), [
    (300, 50, "near_mql_decision"),  # listed first: wins over mid-market, which matches too
    (5000, 20, "enterprise_consideration"),
    (300, 20, "mid_market_consideration"),
    (8, 20, "awareness_newsletter"),
])
def test_a_lead_joins_the_first_track_whose_conditions_hold(make_lead, run_sweep, enrollments_of, clock,
                                                            employees, score, track):
    lead = make_lead("cultivating", employees=employees, score=score)
    run_sweep(clock.now)
    assert [enrollment.track_id for enrollment in enrollments_of(lead)] == [track]


def test_enrollment_runs_the_first_touch_and_schedules_the_next_step(make_lead, run_sweep, enrollments_of,
                                                                       events_of, touches_of, engine, clock):
    lead = make_lead("cultivating", employees=300, score=20)
    run_sweep(clock.now)
    [enrollment] = enrollments_of(lead)
    assert (enrollment.state, enrollment.step_index) == ("active", 2)  # sent the guide, now waiting
    assert enrollment.next_step_at > clock.now
    assert touches_of(lead) == ["track:mid_market_consideration"]
    assert [event.type for event in events_of(lead)] == ["track.enrolled", "track.step", "track.step"]
    with session_scope(engine) as session:
        job = session.query(Job).filter_by(dedupe_key=f"enrollment:{enrollment.id}:step:2").one()
        assert (job.kind, job.state, job.run_at) == ("cultivation.step", "due", enrollment.next_step_at)


def test_a_sweep_run_twice_enrolls_each_lead_once(make_lead, run_sweep, enrollments_of, events_of, clock):
    lead = make_lead("cultivating", score=20)
    assert run_sweep(clock.now)["enrolled"] == 1
    assert run_sweep(clock.now)["enrolled"] == 0
    assert len(enrollments_of(lead)) == 1
    assert len(events_of(lead, "track.enrolled")) == 1


def test_only_cultivating_leads_are_enrolled(make_lead, run_sweep, enrollments_of, clock):
    leads = [make_lead(state, score=20) for state in ("new", "mql", "routed", "rejected", "lost")]
    run_sweep(clock.now)
    assert [enrollments_of(lead) for lead in leads] == [[]] * len(leads)


def test_a_lead_back_in_cultivation_gets_a_new_enrollment(make_lead, move_lead, run_sweep, enrollments_of, clock):
    lead = make_lead("cultivating", score=20)
    run_sweep(clock.now)
    move_lead(lead, "routed")
    move_lead(lead, "rejected")
    move_lead(lead, "cultivating")  # the marketer returned it to cultivation
    run_sweep(clock.now)
    assert [(enrollment.state, enrollment.end_reason) for enrollment in enrollments_of(lead)] == [
        ("exited", "lead came back to cultivation anew"), ("active", None)]


def test_a_lead_that_finished_its_track_is_not_enrolled_again(make_lead, run_sweep, tick, enrollments_of, clock):
    lead = make_lead("cultivating", employees=8, score=20)
    run_sweep(clock.now)
    tick(clock.after(days=15))  # the second newsletter
    tick(clock.after(days=30))  # the last one
    run_sweep(clock.after(days=30))
    assert [enrollment.state for enrollment in enrollments_of(lead)] == ["completed"]


SPRING_WEBINAR_TRACK = """
tracks:
  - id: spring_webinar_followup
    name: After the spring webinar
    stage: consideration
    when:
      - {field: lead.campaign, op: eq, value: Spring webinar}
    steps:
      - touch: spring-webinar-recording"""


def test_a_track_on_the_campaign_enrolls_the_campaigns_leads(use_playbook, make_lead, join_campaign, run_sweep,
                                                             enrollments_of, clock):
    use_playbook("\ntracks:", SPRING_WEBINAR_TRACK)
    lead = make_lead("cultivating", score=50)  # near_mql_decision would take it otherwise
    join_campaign(lead, "Spring webinar")
    run_sweep(clock.now)
    assert [enrollment.track_id for enrollment in enrollments_of(lead)] == ["spring_webinar_followup"]
