"""Months written YYYY-MM and periods of them, as the API, the pages and the CLI read `from` and `to`."""

from datetime import date

import pytest

from revteam.errors import BadInput
from revteam.periods import Month, Period


def test_a_month_reads_back_as_written():
    assert str(Month.parse("2024-03")) == "2024-03"
    assert str(Month.parse("0001-01")) == "0001-01"


def test_a_month_ends_on_the_first_day_of_the_next_one():
    december = Month.parse("2023-12")
    assert (december.start, december.end) == (date(2023, 12, 1), date(2024, 1, 1))


def test_months_step_across_years():
    assert Month.parse("2024-01").plus(-1) == Month(2023, 12)
    assert Month.parse("2023-11").plus(14) == Month(2025, 1)
    assert Month.of(date(2024, 2, 29)).next() == Month(2024, 3)


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024/01", "24-01", "2024-1", "2024-01-01", " 2024-01", ""])
def test_a_month_that_is_not_a_month_is_refused_naming_the_field_and_value(text):
    with pytest.raises(BadInput) as refused:
        Month.parse(text, where="to")
    assert refused.value.where == "to"
    assert f"{text!r} is not a month, expected YYYY-MM" in str(refused.value)


@pytest.mark.parametrize("text", ["9999-12", "9999-01", "0000-12"])
def test_a_year_outside_1_to_9998_is_refused(text):
    with pytest.raises(BadInput, match="years 1 to 9998"):
        Month.parse(text)


def test_a_period_holds_every_month_from_first_to_last():
    months = Period.parse("2023-11", "2024-02").months()
    assert [str(month) for month in months] == ["2023-11", "2023-12", "2024-01", "2024-02"]


def test_a_period_ends_on_the_first_day_after_its_last_month():
    period = Period.parse("2024-01", "2024-02")
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 3, 1))


def test_a_period_that_runs_backwards_is_refused():
    with pytest.raises(BadInput, match="2024-05 is after 2024-04") as refused:
        Period.parse("2024-05", "2024-04")
    assert refused.value.where == "from"


def test_each_end_is_named_when_refused():
    with pytest.raises(BadInput) as refused:
        Period.parse("2024-01", "2024-14")
    assert refused.value.where == "to"


def test_an_open_end_is_none_and_has_no_months_to_list():
    period = Period.parse(None, "2024-02")
    assert (period.start, period.written()) == (None, [None, "2024-02"])
    with pytest.raises(BadInput) as refused:
        period.months()
    assert refused.value.where == "from"
