from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revteam.errors import BadInput
from revteam.periods import Period
from revteam.revenue.movements import (
    SubscriptionChange,
    account_mrr_series,
    classify,
    monthly_movements,
)


def change(account, subscription, day, mrr, seats=1, term=1):
    return SubscriptionChange(account, subscription, day, mrr, seats, term)


def month(movements, name):
    return next(m for m in movements if m.month == name).as_dict()


def moved(name, mrr_end, customers_end, **movement):
    """A month with these movements, starting from the MRR they took it to its end from."""
    row = {**quiet(name, mrr_end, customers_end), **movement}
    grown = sum(row[kind] for kind in ("new", "expansion", "reactivation"))
    row["mrr_start"] = mrr_end - grown + row["contraction"] + row["churn"]
    return row


def quiet(name, mrr_end, customers_end):
    return {
        "month": name, "mrr_start": mrr_end, "new": 0, "expansion": 0, "contraction": 0, "churn": 0,
        "reactivation": 0, "mrr_end": mrr_end, "customers_end": customers_end,
    }


def test_first_mrr_of_an_account_is_new():
    history = [change("acme", "s1", date(2024, 1, 15), 10_000)]

    movements = monthly_movements(history, Period.parse("2024-01", "2024-02"))

    assert [m.as_dict() for m in movements] == [
        moved("2024-01", 10_000, 1, new=10_000),
        quiet("2024-02", 10_000, 1),
    ]


def test_seat_increase_is_an_expansion():
    history = [
        change("acme", "s1", date(2024, 1, 15), 10_000, seats=10),
        change("acme", "s1", date(2024, 2, 10), 15_000, seats=15),
    ]

    movements = monthly_movements(history, Period.parse("2024-02", "2024-02"))

    assert month(movements, "2024-02") == moved("2024-02", 15_000, 1, expansion=5_000)


def test_mid_term_price_cut_of_annual_contract_is_a_contraction():
    history = [
        change("acme", "c1", date(2024, 1, 1), 12_000, term=12),
        change("acme", "c1", date(2024, 5, 10), 9_000, term=12),
    ]

    movements = monthly_movements(history, Period.parse("2024-04", "2024-05"))

    assert month(movements, "2024-04") == quiet("2024-04", 12_000, 1)
    assert month(movements, "2024-05") == moved("2024-05", 9_000, 1, contraction=3_000)


def test_renewal_at_fewer_seats_is_a_contraction():
    history = [
        change("acme", "c1", date(2023, 3, 1), 12_000, seats=12, term=12),
        change("acme", "c1", date(2024, 3, 1), 8_000, seats=8, term=12),
    ]

    movements = monthly_movements(history, Period.parse("2024-03", "2024-03"))

    assert month(movements, "2024-03") == moved("2024-03", 8_000, 1, contraction=4_000)


def test_annual_contract_not_renewed_is_a_churn_of_its_whole_mrr():
    history = [
        change("acme", "c1", date(2023, 6, 1), 12_000, term=12),
        change("acme", "c1", date(2024, 6, 1), 0, term=12),
    ]

    movements = monthly_movements(history, Period.parse("2024-06", "2024-06"))

    assert month(movements, "2024-06") == moved("2024-06", 0, 0, churn=12_000)


def test_monthly_customer_cancelling_is_a_churn():
    history = [
        change("acme", "s1", date(2024, 1, 5), 5_000),
        change("acme", "s1", date(2024, 3, 20), 0),
    ]

    movements = monthly_movements(history, Period.parse("2024-02", "2024-03"))

    assert month(movements, "2024-02") == quiet("2024-02", 5_000, 1)
    assert month(movements, "2024-03") == moved("2024-03", 0, 0, churn=5_000)


def test_paying_again_after_churn_is_a_reactivation_not_new():
    history = [
        change("acme", "s1", date(2024, 1, 5), 5_000),
        change("acme", "s1", date(2024, 2, 10), 0),
        change("acme", "s2", date(2024, 4, 1), 7_000),
    ]

    movements = monthly_movements(history, Period.parse("2024-01", "2024-04"))

    assert month(movements, "2024-02") == moved("2024-02", 0, 0, churn=5_000)
    assert month(movements, "2024-03") == quiet("2024-03", 0, 0)
    assert month(movements, "2024-04") == moved("2024-04", 7_000, 1, reactivation=7_000)


def test_churn_before_the_period_still_makes_a_return_a_reactivation():
    history = [
        change("acme", "s1", date(2023, 1, 5), 5_000),
        change("acme", "s1", date(2023, 6, 10), 0),
        change("acme", "s1", date(2024, 4, 1), 7_000),
    ]

    movements = monthly_movements(history, Period.parse("2024-04", "2024-04"))

    assert month(movements, "2024-04") == moved("2024-04", 7_000, 1, reactivation=7_000)


def test_cancelling_one_of_two_subscriptions_is_a_contraction_not_a_churn():
    history = [
        change("acme", "s1", date(2024, 1, 10), 6_000),
        change("acme", "s2", date(2024, 1, 20), 4_000),
        change("acme", "s2", date(2024, 3, 5), 0),
    ]

    movements = monthly_movements(history, Period.parse("2024-01", "2024-03"))

    january = moved("2024-01", 10_000, 1, new=6_000, expansion=4_000)
    assert month(movements, "2024-01") == january
    assert month(movements, "2024-03") == moved("2024-03", 6_000, 1, contraction=4_000)


def test_several_changes_on_one_day_net_to_one_movement():
    history = [
        change("acme", "s1", date(2024, 1, 10), 5_000),
        change("acme", "s1", date(2024, 2, 3), 8_000),
        change("acme", "s1", date(2024, 2, 3), 6_000),
        change("acme", "s2", date(2024, 2, 3), 1_000),
    ]

    movements = monthly_movements(history, Period.parse("2024-02", "2024-02"))

    series = {"acme": [(date(2024, 1, 10), 5_000), (date(2024, 2, 3), 7_000)]}
    assert account_mrr_series(history) == series
    assert month(movements, "2024-02") == moved("2024-02", 7_000, 1, expansion=2_000)


def test_same_day_cancel_and_restart_is_no_movement():
    history = [
        change("acme", "s1", date(2024, 1, 10), 5_000),
        change("acme", "s1", date(2024, 2, 3), 0),
        change("acme", "s2", date(2024, 2, 3), 5_000),
    ]

    movements = monthly_movements(history, Period.parse("2024-02", "2024-02"))

    assert month(movements, "2024-02") == quiet("2024-02", 5_000, 1)


def test_changes_after_the_period_are_ignored():
    history = [
        change("acme", "s1", date(2024, 1, 10), 5_000),
        change("acme", "s1", date(2024, 3, 1), 0),
    ]

    movements = monthly_movements(history, Period.parse("2024-01", "2024-02"))

    assert [m.mrr_end for m in movements] == [5_000, 5_000]


@pytest.mark.parametrize(
    ("previous", "current", "ever_had_mrr", "expected"),
    [
        (0, 100, False, ("new", 100)),
        (0, 100, True, ("reactivation", 100)),
        (100, 150, True, ("expansion", 50)),
        (150, 100, True, ("contraction", 50)),
        (150, 0, True, ("churn", 150)),
        (100, 100, True, None),
        (0, 0, True, None),
    ],
)
def test_classify_names_each_movement_with_a_positive_amount(previous, current, ever_had_mrr, expected):
    assert classify(previous, current, ever_had_mrr=ever_had_mrr) == expected


@pytest.mark.parametrize(
    ("first", "last"), [("2024-13", "2024-12"), ("2024/01", "2024-02"), ("2024-03", "2024-02")]
)
def test_malformed_or_reversed_period_is_refused(first, last):
    with pytest.raises(BadInput):
        monthly_movements([], Period.parse(first, last))


def test_negative_mrr_is_refused():
    with pytest.raises(BadInput, match="negative"):
        change("acme", "s1", date(2024, 1, 1), -1)


# Property tests: an independent, naive reading of the history is the oracle.

PERIOD = Period.parse("2024-01", "2024-04")
MONTH_ENDS = [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]
PERIOD_EVE = date(2023, 12, 31)

histories = st.lists(
    st.builds(
        SubscriptionChange,
        account=st.sampled_from(["acme", "globex", 7]),
        subscription=st.sampled_from(["s1", "s2"]),
        date=st.dates(date(2023, 11, 1), date(2024, 6, 30)),
        mrr=st.one_of(st.just(0), st.integers(1, 5_000)),
        seats=st.integers(0, 20),
        term_months=st.sampled_from([1, 12, 24]),
    ),
    max_size=25,
)


def mrr_at(history, account, day):
    latest = {}
    for row in history:
        if row.account == account and row.date <= day:
            held = latest.get(row.subscription)
            if held is None or row.date >= held.date:
                latest[row.subscription] = row
    return sum(row.mrr for row in latest.values())


def net_movement(movements):
    return sum(m.new + m.expansion + m.reactivation - m.contraction - m.churn for m in movements)


@settings(max_examples=300)
@given(histories)
def test_movements_of_each_account_add_up_to_its_mrr_change(history):
    for account in {row.account for row in history}:
        own = [row for row in history if row.account == account]

        movements = monthly_movements(own, PERIOD)

        change_in_mrr = mrr_at(own, account, MONTH_ENDS[-1]) - mrr_at(own, account, PERIOD_EVE)
        assert net_movement(movements) == change_in_mrr


@settings(max_examples=300)
@given(histories)
def test_total_movements_add_up_to_the_book_change(history):
    accounts = {row.account for row in history}
    book = lambda day: sum(mrr_at(history, account, day) for account in accounts)  # noqa: E731

    movements = monthly_movements(history, PERIOD)

    assert net_movement(movements) == book(MONTH_ENDS[-1]) - book(PERIOD_EVE)
    assert [m.mrr_end for m in movements] == [book(day) for day in MONTH_ENDS]


@settings(max_examples=300)
@given(histories)
def test_customers_end_counts_accounts_paying_at_month_end(history):
    accounts = {row.account for row in history}

    movements = monthly_movements(history, PERIOD)

    expected = [sum(mrr_at(history, account, day) > 0 for account in accounts) for day in MONTH_ENDS]
    assert [m.customers_end for m in movements] == expected


@settings(max_examples=200)
@given(histories)
def test_movement_amounts_are_never_negative(history):
    for m in monthly_movements(history, PERIOD):
        assert min(m.new, m.expansion, m.contraction, m.churn, m.reactivation) >= 0


@given(histories, st.randoms())
def test_rows_of_different_days_may_come_in_any_order(history, random):
    # Same-day rows keep their order (the last one wins); whole days are shuffled.
    day_order = {row.date: random.random() for row in history}
    shuffled = sorted(history, key=lambda row: day_order[row.date])

    assert monthly_movements(shuffled, PERIOD) == monthly_movements(history, PERIOD)
