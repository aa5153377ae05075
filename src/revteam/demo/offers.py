"""Offers of demo leads to reps as plain data, on the playbook's business-hours clock like the real flow."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from revteam.demo.plan import DemoContext, UserPlan
from revteam.routing.sla import BusinessCalendar, add_business_hours, business_hours_between

_CALENDARS: dict[tuple, BusinessCalendar] = {}


@dataclass
class OfferPlan:
    """One routing of a lead to a rep, as routing/models.py `Offer` stores it."""

    id: int
    rep: UserPlan
    stage: str
    offered_at: datetime
    accept_by: datetime
    decision: dict
    outcome: str = "open"
    decided_at: datetime | None = None
    reason_code: str | None = None
    first_touch_by: datetime | None = None
    touched_at: datetime | None = None
    cleared_at: datetime | None = None


def sla_calendar(ctx: DemoContext) -> BusinessCalendar:
    """The playbook's business calendar over the demo's years (built once per playbook and window)."""
    hours = ctx.playbook.sla.business_hours
    key = (hours.model_dump_json(), ctx.start.year, ctx.end.year)
    if key not in _CALENDARS:
        if hours.holidays_country:
            _CALENDARS[key] = BusinessCalendar.with_public_holidays(
                hours.timezone, hours.start, hours.end, country=hours.holidays_country,
                years=range(ctx.start.year - 1, ctx.end.year + 3), days=hours.days, extra=hours.holidays)
        else:
            _CALENDARS[key] = BusinessCalendar(hours.timezone, hours.start, hours.end,
                                               frozenset(hours.days), frozenset(hours.holidays))
    return _CALENDARS[key]


def deadline(ctx: DemoContext, start: datetime, hours: float) -> datetime:
    """`hours` business hours after `start` (routing.sla.business_deadline without a session)."""
    return add_business_hours(sla_calendar(ctx), start, hours)


def business_moment_before(ctx: DemoContext, moment: datetime, hours: float) -> datetime:
    """The latest instant with `hours` business hours between it and `moment` (bisection)."""
    calendar, low, high = sla_calendar(ctx), moment - timedelta(days=30), moment
    for _ in range(42):
        middle = low + (high - low) / 2
        if business_hours_between(calendar, middle, moment) > hours:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0)


def offer_row(lead_id: int, offer: OfferPlan, end: datetime) -> dict:
    """The offers-table row; a first touch after the as-of date has not happened yet."""
    return {
        "id": offer.id, "lead_id": lead_id, "rep_id": offer.rep.id, "stage": offer.stage,
        "offered_at": offer.offered_at, "accept_by": offer.accept_by, "first_touch_by": offer.first_touch_by,
        "touched_at": offer.touched_at if offer.touched_at and offer.touched_at <= end else None,
        "outcome": offer.outcome, "reason_code": offer.reason_code, "note": None,
        "decided_at": offer.decided_at, "cleared_at": offer.cleared_at, "decision": offer.decision,
    }
