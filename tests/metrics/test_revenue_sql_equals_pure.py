"""The database path (rollups + SQL aggregates) gives the same report as the pure definitions."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from revteam.accounts.matching import AccountIndex
from revteam.metrics import service
from revteam.metrics.retention import revenue_report
from revteam.periods import Period
from revteam.revenue.importer import land_changes
from revteam.revenue.movements import SubscriptionChange
from revteam.revenue.rows import ChangeRow

changes = st.lists(
    st.builds(
        SubscriptionChange,
        account=st.sampled_from(["acme.io", "globex.com", "initech.net", "Umbrella Corp"]),
        subscription=st.sampled_from(["s1", "s2"]),
        date=st.dates(date(2022, 11, 1), date(2024, 8, 31)),
        mrr=st.one_of(st.just(0), st.integers(1, 5_000)),
        seats=st.integers(0, 20),
        term_months=st.sampled_from([1, 3, 12, 24]),
    ),
    max_size=30,
)
periods = st.sampled_from([Period.parse(*months) for months in [("2023-01", "2023-12"), ("2024-01", "2024-03"),
                           ("2022-11", "2024-08"), ("2023-07", "2023-07"), ("2024-02", "2024-02")]])


def _rows(history: list[SubscriptionChange]) -> list[ChangeRow]:
    return [ChangeRow(line, c.account, c.subscription, c.date, c.mrr, c.seats, c.term_months, "USD", None)
            for line, c in enumerate(history, start=2)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=changes, period=periods)
def test_database_report_equals_pure_report(engine, history, period):
    with Session(engine) as session:
        land_changes(session, _rows(history), AccountIndex.load(session), actor="test")
        assert service.revenue_report(session, period) == revenue_report(history, period)
        session.rollback()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=changes, period=periods)
def test_rollups_built_in_slices_equal_one_build(engine, history, period):
    with Session(engine) as session:
        accounts = AccountIndex.load(session)
        half = len(history) // 2
        land_changes(session, _rows(history[:half]), accounts, actor="test")
        land_changes(session, _rows(history[half:]), accounts, actor="test")
        assert service.revenue_report(session, period) == revenue_report(history, period)
        session.rollback()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=changes)
def test_recorded_changes_replay_to_the_same_report(engine, history):
    with Session(engine) as session:
        land_changes(session, _rows(history), AccountIndex.load(session), actor="test")
        replayed = service.recorded_changes(session)
        period = Period.parse("2023-01", "2024-06")
        assert service.revenue_report(session, period) == revenue_report(replayed, period)
        session.rollback()
