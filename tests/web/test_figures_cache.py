"""The dashboard's figures are kept while the records stay the same, and computed again after any write
or when the minute turns (web/figures_cache.py), on a real database."""

from datetime import UTC, datetime, timedelta

from revteam.events.service import record
from revteam.web.figures_cache import FiguresCache

NOON = datetime(2026, 3, 2, 12, 0, 5, tzinfo=UTC)


def _counting():
    computed = []

    def figures(minute):
        computed.append(minute)
        return {"computed": len(computed)}

    return figures, computed


def test_figures_are_kept_until_an_event_is_recorded_or_the_minute_turns(session):
    cache, (figures, computed) = FiguresCache(), _counting()
    first = cache.get(session, "dashboard", NOON, figures)
    assert cache.get(session, "dashboard", NOON + timedelta(seconds=40), figures) is first
    assert computed == [NOON.replace(second=0)]  # computed as of the minute's start

    record(session, type="lead.touched", subject_type="lead", subject_id=1, actor="test", at=NOON)
    session.flush()
    assert cache.get(session, "dashboard", NOON + timedelta(seconds=41), figures) == {"computed": 2}

    assert cache.get(session, "dashboard", NOON + timedelta(seconds=55), figures) == {"computed": 3}
    assert computed[-1] == datetime(2026, 3, 2, 12, 1, tzinfo=UTC)


def test_each_key_has_its_own_figures_and_the_least_recently_used_goes_first(session):
    cache, (figures, computed) = FiguresCache(entries=2), _counting()
    cache.get(session, "yours", NOON, figures)
    cache.get(session, "your team", NOON, figures)
    cache.get(session, "yours", NOON, figures)  # used again: "your team" is now the oldest
    cache.get(session, "everyone", NOON, figures)
    assert len(computed) == 3
    assert cache.get(session, "yours", NOON, figures) == {"computed": 1}
    assert cache.get(session, "your team", NOON, figures) == {"computed": 4}
