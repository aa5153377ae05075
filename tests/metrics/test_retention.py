from datetime import date

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from revteam.metrics.retention import CHURN_COUNTS, renewal_due, retention, revenue_report
from revteam.periods import Period
from revteam.revenue.movements import SubscriptionChange


def change(account, subscription, day, mrr, seats=1, term=1):
    return SubscriptionChange(account, subscription, day, mrr, seats, term)


def test_24_month_contract_with_no_anniversary_in_the_period_cannot_churn():
    history = [change("acme", "c1", date(2023, 1, 1), 20_000, seats=20, term=24)]

    result = retention(history, Period.parse("2024-03", "2024-05"))

    assert result.customers_start == 1
    assert result.logo_churn.eligible_customers == 0
    assert result.logo_churn.naive == 0.0
    assert result.logo_churn.eligible is None
    assert result.revenue_churn.eligible is None


def test_24_month_contract_renewing_in_the_period_can_churn():
    history = [change("acme", "c1", date(2022, 4, 15), 20_000, seats=20, term=24)]

    result = retention(history, Period.parse("2024-04", "2024-04"))

    assert result.logo_churn.eligible_customers == 1
    assert result.logo_churn.eligible == 0.0


def test_annual_contracts_make_naive_churn_lower_than_eligible_churn():
    history = [
        change("monthly-co", "s1", date(2024, 1, 10), 1_000, seats=5, term=1),
        change("monthly-co", "s1", date(2024, 6, 12), 0, seats=5, term=1),
        change("initech", "c1", date(2023, 9, 1), 1_000, seats=10, term=12),
        change("globex", "c1", date(2023, 9, 1), 1_000, seats=10, term=12),
        change("umbrella", "c1", date(2023, 6, 10), 1_000, seats=10, term=12),
    ]

    result = retention(history, Period.parse("2024-06", "2024-06"))

    assert result.customers_start == 4
    assert result.mrr_start == 4_000
    assert result.logo_churn.naive == 0.25
    assert result.logo_churn.eligible == 0.5
    assert result.logo_churn.eligible_customers == 2
    assert result.revenue_churn.naive == 0.25
    assert result.revenue_churn.eligible == 0.5
    assert result.seat_churn.naive == round(5 / 35, 6) == 0.142857
    assert result.seat_churn.eligible == round(5 / 15, 6) == 0.333333


def test_annual_contract_not_renewed_is_lost_in_both_rates():
    history = [
        change("acme", "c1", date(2023, 6, 1), 12_000, seats=12, term=12),
        change("acme", "c1", date(2024, 6, 1), 0, seats=0, term=12),
    ]

    result = retention(history, Period.parse("2024-06", "2024-06"))

    assert result.as_dict() == {
        "customers_start": 1,
        "mrr_start": 12_000,
        "nrr": 0.0,
        "grr": 0.0,
        "logo_churn": {"naive": 1.0, "eligible": 1.0, "eligible_customers": 1},
        "revenue_churn": {"naive": 1.0, "eligible": 1.0},
        "gross_revenue_churn": {"naive": 1.0, "eligible": 1.0},
        "seat_churn": {"naive": 1.0, "eligible": 1.0},
        "accounts": {"lost": 1, "eligible_lost": 1, "shrank": 1, "eligible_shrank": 1},
        "what_they_count": CHURN_COUNTS,
    }


def test_annual_contract_cancelled_mid_term_counts_only_in_the_naive_rate():
    history = [
        change("acme", "c1", date(2023, 9, 1), 3_000, term=12),
        change("acme", "c1", date(2024, 2, 15), 0, term=12),
        change("globex", "s1", date(2023, 5, 1), 1_000, term=1),
    ]

    result = retention(history, Period.parse("2024-02", "2024-02"))

    assert result.logo_churn.naive == 0.5
    assert result.logo_churn.eligible == 0.0
    assert result.revenue_churn.naive == 0.75
    assert result.revenue_churn.eligible == 0.0


def test_monthly_customer_cancelling_counts_as_lost():
    history = [
        change("acme", "s1", date(2024, 1, 5), 5_000, seats=3),
        change("acme", "s1", date(2024, 3, 20), 0, seats=3),
    ]

    result = retention(history, Period.parse("2024-03", "2024-03"))

    assert (result.logo_churn.naive, result.logo_churn.eligible) == (1.0, 1.0)
    assert (result.seat_churn.naive, result.seat_churn.eligible) == (1.0, 1.0)


def test_grr_caps_expansion_at_start_mrr_while_nrr_counts_it():
    history = [
        change("acme", "s1", date(2023, 10, 1), 10_000),
        change("acme", "s1", date(2024, 2, 1), 15_000),
        change("globex", "s1", date(2023, 11, 1), 10_000),
        change("globex", "s1", date(2024, 3, 1), 6_000),
        change("initech", "s1", date(2023, 12, 1), 5_000),
        change("initech", "s1", date(2024, 1, 20), 0),
    ]

    result = retention(history, Period.parse("2024-01", "2024-03"))

    assert result.mrr_start == 25_000
    assert result.nrr == 0.84  # (15_000 + 6_000 + 0) / 25_000
    assert result.grr == 0.64  # (10_000 + 6_000 + 0) / 25_000
    assert result.revenue_churn.naive == 0.2  # initech's 5_000; globex's contraction is not churn


def test_contraction_at_renewal_lowers_grr_but_is_not_churn():
    history = [
        change("acme", "c1", date(2023, 3, 1), 12_000, seats=12, term=12),
        change("acme", "c1", date(2024, 3, 1), 8_000, seats=8, term=12),
    ]

    result = retention(history, Period.parse("2024-03", "2024-03"))

    assert (result.nrr, result.grr) == (0.666667, 0.666667)
    assert result.logo_churn.eligible == 0.0
    assert result.seat_churn.eligible == 0.0


def test_accounts_first_paying_in_the_period_are_outside_the_cohort():
    history = [
        change("acme", "s1", date(2023, 12, 1), 1_000),
        change("globex", "s1", date(2024, 1, 10), 9_000),
    ]

    result = retention(history, Period.parse("2024-01", "2024-01"))

    assert (result.customers_start, result.mrr_start, result.nrr) == (1, 1_000, 1.0)


def test_account_that_churns_and_returns_within_the_period_is_not_lost():
    history = [
        change("acme", "s1", date(2023, 12, 1), 1_000),
        change("acme", "s1", date(2024, 1, 10), 0),
        change("acme", "s2", date(2024, 2, 10), 800),
    ]

    result = retention(history, Period.parse("2024-01", "2024-02"))

    assert result.logo_churn.naive == 0.0
    assert (result.nrr, result.grr) == (0.8, 0.8)


def test_empty_cohort_gives_no_rates():
    result = retention([], Period.parse("2024-01", "2024-03"))

    assert result.as_dict() == {
        "customers_start": 0,
        "mrr_start": 0,
        "nrr": None,
        "grr": None,
        "logo_churn": {"naive": None, "eligible": None, "eligible_customers": 0},
        "revenue_churn": {"naive": None, "eligible": None},
        "gross_revenue_churn": {"naive": None, "eligible": None},
        "seat_churn": {"naive": None, "eligible": None},
        "accounts": {"lost": 0, "eligible_lost": 0, "shrank": 0, "eligible_shrank": 0},
        "what_they_count": CHURN_COUNTS,
    }


def test_revenue_report_holds_period_months_and_retention():
    history = [change("acme", "s1", date(2023, 12, 1), 1_000), change("acme", "s1", date(2024, 2, 1), 1_500)]

    report = revenue_report(iter(history), Period.parse("2024-01", "2024-02"))

    assert report["period"] == ["2024-01", "2024-02"]
    assert report["months"] == [
        {"month": "2024-01", "mrr_start": 1_000, "new": 0, "expansion": 0, "contraction": 0, "churn": 0, "reactivation": 0,
         "mrr_end": 1_000, "customers_end": 1},
        {"month": "2024-02", "mrr_start": 1_000, "new": 0, "expansion": 500, "contraction": 0, "churn": 0, "reactivation": 0,
         "mrr_end": 1_500, "customers_end": 1},
    ]
    assert report["retention"]["nrr"] == 1.5
    assert report["retention"]["grr"] == 1.0


def test_monthly_anniversary_of_jan_31_falls_on_the_last_day_of_february():
    assert renewal_due(date(2024, 1, 31), 1, date(2024, 2, 29), date(2024, 2, 29))
    assert not renewal_due(date(2024, 1, 31), 1, date(2024, 2, 1), date(2024, 2, 28))


def test_anniversaries_count_from_the_first_date_not_the_previous_anniversary():
    assert renewal_due(date(2024, 1, 31), 1, date(2024, 3, 31), date(2024, 3, 31))
    assert not renewal_due(date(2024, 1, 31), 1, date(2024, 3, 1), date(2024, 3, 30))


def test_annual_anniversary_of_feb_29_is_feb_28():
    assert renewal_due(date(2024, 2, 29), 12, date(2025, 2, 28), date(2025, 2, 28))


def test_the_first_date_itself_is_not_a_renewal():
    assert not renewal_due(date(2024, 5, 1), 12, date(2024, 5, 1), date(2024, 5, 31))


def test_anniversary_years_later_is_found():
    assert renewal_due(date(2019, 7, 15), 12, date(2024, 7, 1), date(2024, 7, 31))
    assert not renewal_due(date(2019, 7, 15), 24, date(2024, 7, 1), date(2024, 7, 31))


# Property tests

histories = st.lists(
    st.builds(
        SubscriptionChange,
        account=st.sampled_from(["acme", "globex", "initech", 7]),
        subscription=st.sampled_from(["s1", "s2"]),
        date=st.dates(date(2022, 6, 1), date(2024, 6, 30)),
        mrr=st.one_of(st.just(0), st.integers(1, 5_000)),
        seats=st.integers(0, 20),
        term_months=st.sampled_from([1, 12, 24]),
    ),
    max_size=25,
)


@settings(max_examples=300)
@given(histories)
def test_grr_never_exceeds_nrr(history):
    result = retention(history, Period.parse("2024-01", "2024-04"))

    if result.nrr is not None:
        assert 0 <= result.grr <= result.nrr
        assert result.grr <= 1


@settings(max_examples=300)
@given(histories)
def test_churn_rates_are_fractions(history):
    result = retention(history, Period.parse("2024-01", "2024-04"))

    rates = [
        result.logo_churn.naive, result.logo_churn.eligible,
        result.revenue_churn.naive, result.revenue_churn.eligible,
        result.seat_churn.naive, result.seat_churn.eligible,
    ]
    assert all(0 <= rate <= 1 for rate in rates if rate is not None)
    assert result.logo_churn.eligible_customers <= result.customers_start


@given(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.sampled_from([1, 3, 12, 24, 36]),
       st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(0, 800))
def test_renewal_due_agrees_with_listing_every_anniversary(first, term, start, length):
    end = start + relativedelta(days=length)
    anniversaries = (first + relativedelta(months=k * term) for k in range(1, 420 // term + 2))
    expected = any(start <= day <= end for day in anniversaries)

    assert renewal_due(first, term, start, end) == expected


def test_last_row_of_a_day_sets_the_end_of_day_mrr():
    history = [
        change("acme", "s1", date(2023, 12, 1), 1_000),
        change("acme", "s1", date(2024, 1, 10), 0),
        change("acme", "s1", date(2024, 1, 10), 1_200),
    ]

    result = retention(history, Period.parse("2024-01", "2024-01"))

    assert (result.nrr, result.logo_churn.naive) == (1.2, 0.0)
