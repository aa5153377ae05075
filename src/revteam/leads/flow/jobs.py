"""Job handlers of the lead flow, beside the flow that enqueues them; the runner imports this module."""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from revteam.jobs.registry import handler
from revteam.leads.flow import actions as flow
from revteam.leads.flow import clock as flow_clock
from revteam.leads.flow.timers import ACCEPT_EXPIRY, ACCEPT_WARNING, FIRST_TOUCH_EXPIRY

ROUTE_READY = "leads.route_ready"
ROUTE_READY_EVERY = timedelta(minutes=5)  # MQLs no rep could take wait at most this long for another try


@handler(ACCEPT_WARNING)
def accept_warning(session: Session, payload: dict, *, now: datetime) -> None:
    flow_clock.warn_offer(session, offer_id=payload["offer_id"], now=now)


@handler(ACCEPT_EXPIRY)
def accept_expiry(session: Session, payload: dict, *, now: datetime) -> None:
    flow_clock.expire_offer(session, offer_id=payload["offer_id"], now=now)


@handler(FIRST_TOUCH_EXPIRY)
def first_touch_expiry(session: Session, payload: dict, *, now: datetime) -> None:
    flow_clock.first_touch_overdue(session, offer_id=payload["offer_id"], now=now)


@handler(flow.EVALUATE_JOB)
def evaluate(session: Session, payload: dict, *, now: datetime) -> None:
    flow_clock.auto_evaluate(session, lead_id=payload["lead_id"], now=now)


@handler(flow.RECULTIVATE_JOB)
def recultivate(session: Session, payload: dict, *, now: datetime) -> None:
    flow_clock.recultivate_lead(session, lead_id=payload["lead_id"], now=now)


@handler(ROUTE_READY, every=ROUTE_READY_EVERY)
def route_ready(session: Session, payload: dict, *, now: datetime) -> None:
    flow.route_ready_leads(session, now=now, limit=payload.get("limit", 100))
