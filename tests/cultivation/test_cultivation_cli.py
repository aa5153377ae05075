import json


def test_tracks_lists_the_playbook_tracks_with_leads_per_step(cli, db_url, make_lead, run_sweep, clock):
    make_lead("cultivating", employees=300, score=20)
    make_lead("cultivating", employees=300, score=20)
    run_sweep(clock.now)
    result = cli("cultivation", "tracks", "--json", "--db", db_url)
    assert result.code == 0, result.err
    tracks = {track["id"]: track for track in json.loads(result.out)}
    assert list(tracks) == ["near_mql_decision", "enterprise_consideration", "mid_market_consideration",
                            "awareness_newsletter"]
    mid_market = tracks["mid_market_consideration"]
    assert mid_market["enrolled"] == 2 and mid_market["stage"] == "consideration"
    assert mid_market["steps"][2] == {"step": 3, "what": "send webinar-invite", "waiting": 2}


def test_show_names_the_track_step_and_when_the_next_step_is_due(cli, db_url, make_lead, run_sweep, clock):
    lead = make_lead("cultivating", employees=8, score=20)
    run_sweep(clock.now)
    result = cli("cultivation", "show", lead, "--now", clock.after(days=3).isoformat(), "--json", "--db", db_url)
    view = json.loads(result.out)
    assert (view["track"], view["stage"], view["state"], view["step"]) == ("awareness_newsletter", "awareness",
                                                                          "active", 3)
    assert (view["next_step"], view["due"]) == ("send blog-digest", "due in 6 d")


def test_show_of_an_unknown_lead_exits_2(cli, db_url):
    result = cli("cultivation", "show", "999", "--db", db_url)
    assert result.code == 2 and "no lead 999" in result.err


def test_sweep_enrolls_now_and_schedules_the_next_sweep(cli, db_url, make_lead, clock):
    make_lead("cultivating", score=20)
    result = cli("cultivation", "sweep", "--now", clock.after(minutes=5).isoformat(), "--json", "--db", db_url)
    assert json.loads(result.out) == {"graduated": 0, "exited": 0, "enrolled": 1,
                                      "next_sweep_at": clock.after(minutes=15).isoformat()}
