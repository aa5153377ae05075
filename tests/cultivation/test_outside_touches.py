"""A touch from outside (`import activities`) re-scores the lead, so its track's next condition reads
the new engagement: the enterprise track stops mailing who engaged with nothing, not who came to a webinar."""

from revteam.leads.intake.activity_import import import_activities


def test_an_outside_touch_keeps_the_lead_in_its_track_at_the_next_condition(
        make_lead, run_sweep, tick, enrollments_of, touches_of, engine, tmp_path, clock):
    quiet = make_lead("cultivating", employees=5000, title="Engineer")  # no engagement: the track would stop
    engaged = make_lead("cultivating", employees=5000, title="Engineer")
    run_sweep(clock.now)
    assert [e.track_id for lead in (quiet, engaged) for e in enrollments_of(lead)] == ["enterprise_consideration"] * 2
    friday = clock.after(days=4)
    path = tmp_path / "webinar.csv"
    path.write_text(f"email,type,at,channel\npat@company2.com,webinar_attended,{friday.isoformat()},webinar\n")
    assert import_activities(engine, path, now=friday).result.landed == 1
    tick(clock.after(days=3))  # Thursday: the analyst report
    tick(clock.after(days=10))  # five business days later: "engagement under 3? exit"
    [stopped], [going_on] = enrollments_of(quiet), enrollments_of(engaged)
    assert (stopped.state, stopped.end_reason) == ("exited", "exited at step 5")
    assert going_on.state == "active"
    assert len(touches_of(engaged)) == 3 and len(touches_of(quiet)) == 2  # the executive briefing went out
