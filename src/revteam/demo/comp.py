"""The demo's compensation: the last twelve full months closed (each at the first moment after it), so
each rep has a year of stored statements, and two disputes on the month before the last, opened the
day after it closed (one accepted by the rep's manager the day after, one still open: overdue by
the demo's today)."""

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.comp import disputes, service
from revteam.comp.models import CompStatement
from revteam.comp.rules import cents
from revteam.db.session import session_scope
from revteam.demo.plan import DemoContext
from revteam.periods import Month, midnight
from revteam.users.models import User

CLOSED_MONTHS = 12
DISPUTED_MONTH_BACK = 2  # the month before the last closed one: its disputes fit before the demo's today
DISPUTES = 2
EXPECTED_MORE = Decimal("1.10")  # the rep expected a tenth more on the line


def _disputed_lines(stored: list[CompStatement]) -> list[tuple[CompStatement, int]]:
    """The first paid commission line of the first few statements that have one."""
    found = []
    for row in stored:
        line = next((n for n, line in enumerate(row.lines)
                     if line["rule"].startswith("commission.") and Decimal(line["amount"]) > 0), None)
        if line is not None:
            found.append((row, line))
    return found[:DISPUTES]


def _manager_of(session: Session, rep: User) -> str:
    manager = session.scalar(select(User.email).where(User.role == "manager", User.team_id == rep.team_id)
                             .order_by(User.id).limit(1))
    return manager or "revteam demo"


def _dispute_stage(session: Session, stored: list[CompStatement], closed_at: datetime) -> int:
    opened_at, chosen = closed_at + timedelta(days=1), _disputed_lines(stored)
    for n, (row, line) in enumerate(chosen):
        rep = session.get(User, row.rep_id)
        expected = cents(Decimal(row.lines[line]["amount"]) * EXPECTED_MORE)
        dispute = disputes.open_dispute(session, statement_id=row.id, line=line, expected_minor=int(expected * 100),
                                        reason="the deal desk quoted me a higher rate on this deal", viewer=None,
                                        actor=rep.email, now=opened_at)
        if n == 0:
            disputes.resolve_dispute(session, dispute_id=dispute.id, accept=True, viewer=None,
                                     note="checked with the deal desk: the higher rate was agreed",
                                     actor=_manager_of(session, rep), now=opened_at + timedelta(days=1))
    return len(chosen)


def comp_stage(ctx: DemoContext) -> None:
    """Close the twelve months before the demo's today under the default comp plans (after ids are advanced:
    closing writes its rows and events the ordinary way), and dispute two lines of the month before the last."""
    current = Month.of(ctx.as_of)
    with session_scope(ctx.engine) as session:
        for back in range(CLOSED_MONTHS, 0, -1):
            month = current.plus(-back)
            stored = service.close_period(session, period=str(month), actor="revteam demo", now=midnight(month.end))
            ctx.counts["comp statements"] += len(stored)
            if back == DISPUTED_MONTH_BACK:
                ctx.counts["comp disputes"] = _dispute_stage(session, stored, midnight(month.end))
