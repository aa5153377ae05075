from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revteam.errors import BadInput
from revteam.routing.sla import BusinessCalendar, add_business_hours, business_hours_between

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
OFFICE = BusinessCalendar("Europe/Berlin", time(9), time(17))
US_OFFICE = BusinessCalendar.with_public_holidays(
    "America/New_York", time(9), time(17), country="US", years=[2024, 2025]
)


def local(zone, *parts) -> datetime:
    return datetime(*parts, tzinfo=zone)


def test_friday_afternoon_plus_four_hours_is_monday_noon():
    due = add_business_hours(OFFICE, local(BERLIN, 2025, 6, 13, 16), 4)
    assert due == local(BERLIN, 2025, 6, 16, 12)
    assert due.tzinfo == UTC


def test_start_before_opening_waits_for_opening():
    assert add_business_hours(OFFICE, local(BERLIN, 2025, 6, 16, 6, 30), 2) == local(BERLIN, 2025, 6, 16, 11)


def test_start_after_closing_counts_from_next_morning():
    assert add_business_hours(OFFICE, local(BERLIN, 2025, 6, 16, 20), 1) == local(BERLIN, 2025, 6, 17, 10)


def test_start_on_saturday_counts_from_monday():
    assert add_business_hours(OFFICE, local(BERLIN, 2025, 6, 14, 11), 3) == local(BERLIN, 2025, 6, 16, 12)


def test_deadline_exactly_at_closing_stays_that_day():
    assert add_business_hours(OFFICE, local(BERLIN, 2025, 6, 16, 9), 8) == local(BERLIN, 2025, 6, 16, 17)


def test_zero_hours_is_due_at_once():
    start = local(BERLIN, 2025, 6, 14, 11)
    assert add_business_hours(OFFICE, start, 0) == start


def test_public_holiday_is_skipped():
    # Friday 4 July 2025 is Independence Day.
    due = add_business_hours(US_OFFICE, local(NEW_YORK, 2025, 7, 3, 16), 4)
    assert due == local(NEW_YORK, 2025, 7, 7, 12)


def test_extra_company_holiday_is_skipped():
    calendar = BusinessCalendar.with_public_holidays(
        "America/New_York", time(9), time(17), country="US", years=[2025], extra=[date(2025, 7, 7)]
    )
    assert add_business_hours(calendar, local(NEW_YORK, 2025, 7, 3, 16), 4) == local(NEW_YORK, 2025, 7, 8, 12)


def test_spring_forward_weekend_keeps_nine_to_five_local():
    # US clocks moved forward on Sunday 9 March 2025: Friday closes at 22:00 UTC, Monday opens 13:00 UTC.
    due = add_business_hours(US_OFFICE, local(NEW_YORK, 2025, 3, 7, 16), 4)
    assert due == local(NEW_YORK, 2025, 3, 10, 12)
    assert due == datetime(2025, 3, 10, 16, tzinfo=UTC)


def test_fall_back_weekend_measures_sixteen_hours_over_two_days():
    friday, monday = local(NEW_YORK, 2025, 10, 31, 9), local(NEW_YORK, 2025, 11, 3, 17)
    assert business_hours_between(US_OFFICE, friday, monday) == 16


def test_business_hours_during_a_dst_jump_are_real_elapsed_hours():
    night_shift = BusinessCalendar("America/New_York", time(1), time(4), days={"sun"})
    sunday = date(2025, 3, 9)
    assert business_hours_between(night_shift, local(NEW_YORK, 2025, 3, 8, 0), local(NEW_YORK, 2025, 3, 10, 0)) == 2
    assert add_business_hours(night_shift, local(NEW_YORK, 2025, 3, 9, 0), 2) == datetime(
        sunday.year, sunday.month, sunday.day, 8, tzinfo=UTC
    )


def test_two_hundred_hours_spans_five_weeks_with_holidays():
    # Christmas Day and New Year's Day fall in this span.
    due = add_business_hours(US_OFFICE, local(NEW_YORK, 2024, 12, 2, 9), 200)
    assert due == local(NEW_YORK, 2025, 1, 7, 17)
    assert business_hours_between(US_OFFICE, local(NEW_YORK, 2024, 12, 2, 9), due) == 200


def test_hours_between_backwards_is_negative():
    a, b = local(BERLIN, 2025, 6, 16, 10), local(BERLIN, 2025, 6, 16, 12, 30)
    assert business_hours_between(OFFICE, b, a) == -2.5


def test_naive_start_is_refused():
    with pytest.raises(BadInput, match="timezone-aware"):
        add_business_hours(OFFICE, datetime(2025, 6, 16, 9), 1)


def test_negative_hours_are_refused():
    with pytest.raises(BadInput, match="hours"):
        add_business_hours(OFFICE, local(BERLIN, 2025, 6, 16, 9), -1)


def test_unknown_timezone_is_refused():
    with pytest.raises(BadInput, match="Mars/Olympus"):
        BusinessCalendar("Mars/Olympus", time(9), time(17))


def test_hours_ending_before_they_start_are_refused():
    with pytest.raises(BadInput, match="start before they end"):
        BusinessCalendar("Europe/Berlin", time(17), time(9))


def test_unknown_holiday_country_is_refused():
    with pytest.raises(BadInput, match="XX"):
        BusinessCalendar.with_public_holidays("Europe/Berlin", time(9), time(17), country="XX", years=[2025])


moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


@given(moments, st.floats(min_value=0.01, max_value=300))
def test_adding_hours_then_measuring_gives_them_back(start, hours):
    due = add_business_hours(US_OFFICE, start, hours)
    assert business_hours_between(US_OFFICE, start, due) == pytest.approx(hours, abs=1e-6)


@given(moments, st.floats(min_value=0, max_value=300), st.floats(min_value=0, max_value=300))
def test_adding_in_two_steps_equals_adding_once(start, first, second):
    once = add_business_hours(US_OFFICE, start, first + second)
    twice = add_business_hours(US_OFFICE, add_business_hours(US_OFFICE, start, first), second)
    assert abs(once - twice) <= timedelta(microseconds=2)
