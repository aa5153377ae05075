from datetime import UTC, datetime, time

from revteam.cultivation.rules import walk, wait_until
from revteam.playbook.track_schema import Track, Wait
from revteam.routing.sla import BusinessCalendar

NEW_YORK = BusinessCalendar("America/New_York", time(9), time(17, 30))
FRIDAY_4PM = datetime(2026, 3, 6, 21, 0, tzinfo=UTC)

TRACK = Track.model_validate({"id": "t", "name": "T", "stage": "awareness", "steps": [
    {"touch": "guide"},
    {"condition": {"when": [{"field": "lead.score", "op": "gte", "value": 50}], "then": "skip_next"}},
    {"touch": "checklist"},
    {"wait": {"hours": 1}},
    {"condition": {"when": [{"field": "lead.score", "op": "gte", "value": 60}], "then": "exit"}},
    {"touch": "story"},
]})


def _sent(result) -> list[str]:
    return [run.step.touch for run in result.ran if run.step.touch]


def test_business_days_skip_the_weekend():
    assert wait_until(Wait(business_days=1), FRIDAY_4PM, NEW_YORK) == datetime(2026, 3, 9, 20, 0, tzinfo=UTC)


def test_hours_are_plain_hours():
    assert wait_until(Wait(hours=48), FRIDAY_4PM, NEW_YORK) == datetime(2026, 3, 8, 21, 0, tzinfo=UTC)


def test_a_walk_runs_touches_until_the_first_wait():
    result = walk(TRACK, 0, {"lead.score": 10})
    assert (_sent(result), result.outcome, result.next_index) == (["guide", "checklist"], "wait", 4)


def test_a_condition_that_holds_skips_the_next_step():
    assert _sent(walk(TRACK, 0, {"lead.score": 55})) == ["guide"]


def test_an_exit_condition_ends_the_walk():
    result = walk(TRACK, 4, {"lead.score": 65})
    assert (_sent(result), result.outcome) == ([], "exited")


def test_the_walk_completes_after_the_last_step():
    result = walk(TRACK, 4, {"lead.score": 10})
    assert (_sent(result), result.outcome, result.next_index) == (["story"], "completed", 6)
