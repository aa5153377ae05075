"""The demo's compensation: the last twelve full months closed, so each rep has a year of stored statements."""

from revteam.comp import service
from revteam.db.session import session_scope
from revteam.demo.plan import DemoContext
from revteam.periods import Month, midnight

CLOSED_MONTHS = 12


def comp_stage(ctx: DemoContext) -> None:
    """Close the twelve months before the demo's today under the default comp plans (after ids are advanced:
    closing writes its rows and events the ordinary way)."""
    current = Month.of(ctx.as_of)
    stored = 0
    with session_scope(ctx.engine) as session:
        for back in range(CLOSED_MONTHS, 0, -1):  # each month closed at the midnight it ended: same seed, same rows
            month = current.plus(-back)
            stored += len(service.close_period(session, period=str(month), actor="revteam demo",
                                               now=midnight(month.end)))
    ctx.counts["comp statements"] = stored
