"""`revteam cultivation list`: who is in which track, at which step, what runs next and when."""

import json


def test_list_shows_each_active_lead_with_its_next_step_and_when(cli, db_url, make_lead, run_sweep, clock):
    small = make_lead("cultivating", employees=8, score=20)
    mid = make_lead("cultivating", employees=300, score=20)
    run_sweep(clock.now)
    result = cli("cultivation", "list", "--now", clock.after(days=3).isoformat(), "--json", "--db", db_url)
    assert result.code == 0, result.err
    rows = {row["lead_id"]: row for row in json.loads(result.out)}
    assert set(rows) == {small, mid}
    assert (rows[small]["track"], rows[small]["next_step"], rows[small]["due"]) == (
        "awareness_newsletter", "send blog-digest", "due in 6 d")
    assert rows[mid]["track"] == "mid_market_consideration"


def test_list_of_one_track_leaves_the_others_out(cli, db_url, make_lead, run_sweep, clock):
    make_lead("cultivating", employees=8, score=20)
    mid = make_lead("cultivating", employees=300, score=20)
    run_sweep(clock.now)
    result = cli("cultivation", "list", "--track", "mid_market_consideration", "--json", "--db", db_url)
    assert [row["lead_id"] for row in json.loads(result.out)] == [mid]
