"""The demo company's revenue: subscriptions from won deals whose metrics agree with the pure definitions."""

from datetime import date

from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.demo.generator import generate
from revteam.metrics import service
from revteam.metrics.retention import revenue_report
from revteam.periods import Period
from revteam.revenue.models import HealthCheck, Opportunity, Promise


def test_demo_revenue_is_consistent_with_the_definitions(engine):
    generate(engine, size="small", seed=3, as_of=date(2025, 6, 30))
    with session_scope(engine) as session:
        period = Period.parse("2024-07", "2025-06")
        assert service.revenue_report(session, period) == revenue_report(service.recorded_changes(session), period)
        won = session.scalar(select(func.count()).where(Opportunity.stage == "won"))
        disputed = session.scalar(select(func.count()).where(Promise.status == "disputed"))
        happy_not_successful = session.scalar(select(func.count()).where(HealthCheck.risk == "happy_not_successful"))
    assert won > 100 and disputed > 0 and happy_not_successful > 0
