"""The demo holds comp plans and a year of stored statements."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from revteam.comp import disputes, service
from revteam.db.session import session_scope
from revteam.periods import midnight
from revteam.playbook.versions import active
from tests.small_demo import small_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return small_demo(tmp_path_factory.mktemp("comp-demo"), date(2026, 6, 1))


def test_demo_has_a_year_of_closed_statements_for_every_paid_rep(demo):
    with demo.connect() as connection:
        months = connection.execute(text("SELECT DISTINCT period FROM comp_statements ORDER BY period")).scalars().all()
        paid = connection.execute(text("SELECT count(*) FROM comp_statements WHERE total_minor > 0")).scalar()
    assert months == [f"2025-{m:02d}" for m in range(6, 13)] + [f"2026-{m:02d}" for m in range(1, 6)]
    assert paid > 0
    with session_scope(demo) as session:
        assert {plan.role for plan in active(session).playbook.comp.plans} == {"ae", "sdr", "csm"}
        rep = service.paid_reps(session)[0]
        view = service.statement(session, rep_email=rep.email, period="2026-01")
    assert view["status"] == "closed" and view["total"] == str(sum(
        Decimal(line["amount"]) for line in view["lines"]))


def test_demo_month_view_holds_an_accepted_and_an_overdue_open_dispute(demo):
    with session_scope(demo) as session:
        listed = disputes.disputes(session, period="2026-04", viewer=None, now=midnight(date(2026, 6, 1)))
        accepted = next(d for d in listed if d["status"] == "accepted")
        view = service.statement(session, rep_email=accepted["rep"], period="2026-04")
    assert sorted((d["status"], d["overdue"]) for d in listed) == [("accepted", False), ("open", True)]
    assert view["revision"] == 2 and view["lines"][-1]["rule"] == "adjustment"
    assert view["total"] == str(sum(Decimal(line["amount"]) for line in view["lines"]))


def test_demo_customers_have_an_owner_and_every_comp_role_is_paid_over_the_year(demo):
    with demo.connect() as connection:
        unowned = connection.execute(text(
            "SELECT count(*) FROM accounts a WHERE a.owner_id IS NULL"
            " AND EXISTS (SELECT 1 FROM opportunities o WHERE o.account_id = a.id AND o.stage = 'won')")).scalar()
        paid = dict(connection.execute(text(
            "SELECT s.role, sum(s.total_minor) FROM comp_statements s GROUP BY s.role")).all())
    assert unowned == 0
    assert set(paid) == {"ae", "sdr", "csm"} and all(total > 0 for total in paid.values())
