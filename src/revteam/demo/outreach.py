"""The outreach stage: some people the tracks e-mailed opted out through the link or bounced, a
while after their last touch, so the demo shows suppressions on leads' timelines and tracks that
skip them. Drawn from the stage's own random stream: the other stages' data stay as they were."""

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.cultivation.service import TOUCH_ACTIVITY
from revteam.demo.leads import event_row
from revteam.demo.plan import DemoContext
from revteam.demo.writer import insert_rows
from revteam.events.models import Event
from revteam.leads.models import Activity
from revteam.outreach.bounces import ACTOR as BOUNCE_ACTOR
from revteam.outreach.models import Suppression, SuppressionKind
from revteam.outreach.suppression import SUPPRESSED_EVENT
from revteam.outreach.unsubscribe import ACTOR as LINK_ACTOR

OPT_OUT_SHARE, BOUNCE_SHARE = 0.04, 0.015  # of the people a track e-mailed
HOW = {SuppressionKind.opt_out: (LINK_ACTOR, "unsubscribe link"),
       SuppressionKind.bounce: (BOUNCE_ACTOR, "hard bounce: 550 5.1.1 mailbox unknown")}


def _kind(draw: float) -> SuppressionKind | None:
    if draw < OPT_OUT_SHARE:
        return SuppressionKind.opt_out
    return SuppressionKind.bounce if draw < OPT_OUT_SHARE + BOUNCE_SHARE else None


def outreach_stage(ctx: DemoContext) -> None:
    """Suppress a few of the people tracks e-mailed, after their last touch; one timeline event each."""
    rng = ctx.rng("outreach")
    last_touch = (select(Activity.person_id, func.max(Activity.lead_id), func.max(Activity.at))
                  .where(Activity.type == TOUCH_ACTIVITY).group_by(Activity.person_id).order_by(Activity.person_id))
    with Session(ctx.engine) as session:
        touched = session.execute(last_touch).all()
    suppressions, events = [], []
    for person_id, lead_id, touched_at in touched:
        kind = _kind(rng.random())
        if kind is None:
            continue
        at = min(touched_at + timedelta(hours=rng.uniform(1, 24 * 10)), ctx.end)
        actor, reason = HOW[kind]
        suppressions.append({"id": ctx.take_id("suppressions"), "person_id": person_id, "kind": kind, "reason": reason,
                             "at": at, "actor": actor})
        events.append(event_row(ctx, SUPPRESSED_EVENT, "lead", lead_id, actor, at,
                                {"kind": kind.value, "reason": reason, "person_id": person_id}))
    with ctx.engine.begin() as connection:
        ctx.counts["suppressions"] += insert_rows(connection, Suppression.__table__, suppressions)
        ctx.counts["events"] += insert_rows(connection, Event.__table__, events)
