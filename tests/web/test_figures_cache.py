"""The dashboard's figures are kept while the records stay the same: computed again before answering
after any write, and behind the answer when only the minute turned (web/figures_cache.py), on a real
database."""

from datetime import UTC, datetime, timedelta

from revteam.events.service import record
from revteam.web.figures_cache import LAGGING_AT_MOST, FiguresCache
from tests.concurrency import wait_until

NOON = datetime(2026, 3, 2, 12, 0, 5, tzinfo=UTC)


def _counting():
    computed = []

    def figures(_session, minute):
        computed.append(minute)
        return {"computed": len(computed)}

    return figures, computed


def _write(session) -> None:
    record(session, type="lead.touched", subject_type="lead", subject_id=1, actor="test", at=NOON)
    session.commit()


def test_figures_are_kept_until_an_event_is_recorded(session):
    cache, (figures, computed) = FiguresCache(refresh_behind=False), _counting()
    first = cache.get(session, "dashboard", NOON, figures)
    assert cache.get(session, "dashboard", NOON + timedelta(seconds=40), figures) is first
    assert computed == [NOON.replace(second=0)]  # computed as of the minute's start
    assert first.minute == NOON.replace(second=0)

    _write(session)
    after_write = cache.get(session, "dashboard", NOON + timedelta(seconds=41), figures)
    assert after_write.figures == {"computed": 2}  # before answering: its counts open the lists as they are now
    assert after_write.position == first.position + 1


def test_when_only_the_minute_turned_the_kept_figures_answer_and_are_computed_again_behind(session):
    cache, (figures, computed) = FiguresCache(), _counting()
    first = cache.get(session, "dashboard", NOON, figures)
    next_minute = NOON + timedelta(minutes=1)

    assert cache.get(session, "dashboard", next_minute, figures) is first  # answered with the kept ones, saying so
    wait_until(lambda: len(computed) == 2, what="the figures computed behind the answer")
    renewed = wait_until(lambda: (kept := cache.get(session, "dashboard", next_minute, figures)) is not first and kept,
                         what="the renewed figures kept")
    assert renewed.figures == {"computed": 2} and renewed.minute == next_minute.replace(second=0)
    assert len(computed) == 2


def test_figures_lagging_too_far_are_computed_before_answering(session):
    cache, (figures, computed) = FiguresCache(refresh_behind=False), _counting()
    cache.get(session, "dashboard", NOON, figures)
    later = NOON + LAGGING_AT_MOST + timedelta(minutes=1)
    assert cache.get(session, "dashboard", later, figures).figures == {"computed": 2}
    assert computed[-1] == later.replace(second=0)


def test_a_refresh_behind_the_answer_leaves_figures_to_the_next_page_after_a_write(session):
    cache, (figures, computed) = FiguresCache(refresh_behind=False), _counting()
    first = cache.get(session, "dashboard", NOON, figures)
    _write(session)
    cache.refresh_one(session.get_bind(), "dashboard", first.position, NOON + timedelta(minutes=1), figures)
    assert len(computed) == 1  # the records moved on since it was asked for: not figures of another position


def test_each_key_has_its_own_figures_and_the_least_recently_used_goes_first(session):
    cache, (figures, computed) = FiguresCache(entries=2), _counting()
    cache.get(session, "yours", NOON, figures)
    cache.get(session, "your team", NOON, figures)
    cache.get(session, "yours", NOON, figures)  # used again: "your team" is now the oldest
    cache.get(session, "everyone", NOON, figures)
    assert len(computed) == 3
    assert cache.get(session, "yours", NOON, figures).figures == {"computed": 1}
    assert cache.get(session, "your team", NOON, figures).figures == {"computed": 4}


class _Log:
    """A stand-in session whose event log's newest id never moves."""

    def scalar(self, _statement):
        return 7


class _CountedLocks:
    """`threading` for the cache, whose locks count how often they were asked for (the first one made is
    the cache's own; the others, one per entry being computed)."""

    def __init__(self, real):
        self.made, self._real = [], real

    def Lock(self):  # noqa: N802 (the name of threading's)
        lock = _CountedLock(self._real.Lock())
        self.made.append(lock)
        return lock

    def entry_lock_asked_twice(self) -> bool:
        return any(lock.asked >= 2 for lock in self.made[1:])


class _CountedLock:
    def __init__(self, real):
        self.asked, self._real = 0, real

    def __enter__(self):
        self.asked += 1
        return self._real.__enter__()

    def __exit__(self, *exc):
        return self._real.__exit__(*exc)


def test_requests_asking_the_same_figures_at_once_wait_for_the_one_computing_them(monkeypatch):
    import threading

    from revteam.web import figures_cache

    locks = _CountedLocks(threading)
    monkeypatch.setattr(figures_cache, "threading", locks)
    cache, (figures, computed), answers = FiguresCache(), _counting(), []

    def second_request():
        answers.append(cache.get(_Log(), "dashboard", NOON, figures))

    def first_figures(session, minute):
        threading.Thread(target=second_request).start()
        # the other request either waits for this entry's lock or (without one) computes on its own
        wait_until(lambda: locks.entry_lock_asked_twice() or computed, what="the second request to ask for the figures")
        return figures(session, minute)

    answers.append(cache.get(_Log(), "dashboard", NOON, first_figures))
    wait_until(lambda: len(answers) == 2, what="the second request's answer")
    assert len(computed) == 1
    assert answers[0] is answers[1]


def test_figures_of_the_records_alone_are_kept_whatever_the_clock_until_a_write(session):
    cache, computed = FiguresCache(), []

    def statements(_session):
        computed.append(len(computed) + 1)
        return {"computed": len(computed)}

    first = cache.of_records(session, ("comp", None, "2026-03"), statements)
    assert cache.of_records(session, ("comp", None, "2026-03"), statements) is first
    assert cache.of_records(session, ("comp", 7, "2026-03"), statements) == {"computed": 2}  # whose: a key of its own
    _write(session)
    assert cache.of_records(session, ("comp", None, "2026-03"), statements) == {"computed": 3}
    assert computed == [1, 2, 3]  # nothing was computed behind an answer
