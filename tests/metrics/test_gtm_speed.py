"""Speed to lead over the hand-built story (test_gtm_story.py), with an injected `now`."""

import json
from datetime import UTC, datetime

from revteam.db.session import session_scope
from revteam.metrics.gtm import speed_report
from revteam.periods import Period

from test_gtm_story import outbox, story  # noqa: F401 - fixtures

LATER = datetime(2026, 6, 1, tzinfo=UTC)


def _speed(engine, now=LATER) -> dict:
    with session_scope(engine) as session:
        return speed_report(session, Period(), now=now)


def test_rep_who_accepted_both_leads_has_median_and_p90_from_mql(story, engine):
    [row] = [r for r in _speed(engine)["reps"] if r["rep"] == story["reps"]["fair_game"]]
    # 637 h (26 d 13 h) and 665 h (27 d 17 h) from MQL to accept; one first touch 639 h after MQL
    assert row["mql_to_accept_hours"] == {"leads": 2, "median": 637.0, "p90": 665.0}
    assert row["mql_to_touch_hours"] == {"leads": 1, "median": 639.0, "p90": 639.0}


def test_untouched_lead_past_its_deadline_misses_the_first_touch_sla(story, engine):
    [row] = [r for r in _speed(engine)["reps"] if r["rep"] == story["reps"]["fair_game"]]
    assert row["accept_sla"] == {"due": 2, "met": 2, "rate": 1.0}
    assert row["first_touch_sla"] == {"due": 2, "met": 1, "rate": 0.5}


def test_first_touch_not_yet_due_is_not_counted(story, engine):
    [row] = [r for r in _speed(engine, now=datetime(2026, 3, 2, 21, tzinfo=UTC))["reps"]
             if r["rep"] == story["reps"]["fair_game"]]
    assert row["first_touch_sla"] == {"due": 1, "met": 1, "rate": 1.0}


def test_rejecting_in_time_meets_the_accept_sla(story, engine):
    [row] = [r for r in _speed(engine)["reps"] if r["rep"] == story["reps"]["rejected_by"]]
    assert (row["offers"], row["accept_sla"]["rate"], row["mql_to_accept_hours"]["leads"]) == (1, 1.0, 0)


def test_team_adds_up_its_reps(story, engine):
    report = _speed(engine)
    [team] = report["teams"]
    assert (team["team"], team["offers"], team["accept_sla"]["due"]) == ("na-sdr", 3, 3)
    assert team == {"team": "na-sdr", **report["total"]}


def test_cli_lists_every_rep_with_the_playbook_version(story, cli, db_url):
    result = cli("metrics", "speed", "--json", "--db", db_url)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert sorted(r["rep"] for r in report["reps"]) == ["alice@acme.io", "carl@acme.io"]
    assert report["playbook_version"]["id"] == 1
