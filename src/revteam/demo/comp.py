"""The demo's compensation: the last twelve full months closed, so each rep has a year of stored statements."""

from revteam.comp import service
from revteam.db.session import session_scope
from revteam.demo.plan import DemoContext
from revteam.periods import Month

CLOSED_MONTHS = 12


def comp_stage(ctx: DemoContext) -> None:
    """Close the twelve months before the demo's today under the default comp plans (after ids are advanced:
    closing writes its rows and events the ordinary way)."""
    current = Month.of(ctx.as_of)
    stored = 0
    with session_scope(ctx.engine) as session:
        for back in range(CLOSED_MONTHS, 0, -1):
            stored += len(service.close_period(session, period=str(current.plus(-back)), actor="revteam demo"))
    ctx.counts["comp statements"] = stored
