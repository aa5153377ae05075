"""The SLA: deadlines in the playbook's business calendar, and when an offer is in breach.

Accept-by and first-touch-by are business hours after the offer and the acceptance, on the
calendar the playbook names; `accept_due`/`accept_met`, `touch_due`/`touch_met` and `breached` are
the SQL clauses over `offers` that every report and board counts with, so none can disagree.

The business-hours arithmetic is hand-written on purpose: the PyPI candidates (businesstime 0.3.0,
2018; businesstimedelta 1.0.1, 2019, on pytz; business-calendar 0.2.1, 2015; business-duration,
which only measures) are unmaintained or cannot add hours to a moment. Working day by day keeps it
short and exact: each business day's opening and closing are placed in the local zone and turned
into UTC, so a DST change moves the UTC window and the count is always real elapsed time; weekends
and holidays are skipped a whole day at a time. Opening hours must not cross midnight.
"""

import math
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import UTC, date, datetime, time, timedelta
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import Session

from revteam.errors import BadInput
from revteam.playbook.schema import Playbook
from revteam.playbook.versions import active
from revteam.routing.models import Offer, OfferOutcome

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONDAY_TO_FRIDAY = frozenset(range(5))
_ONE_DAY = timedelta(days=1)
_ONE_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours (local wall clock) on the given weekdays (0=Mon or "mon"), minus holidays."""

    timezone: str
    start: time
    end: time
    days: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise BadInput(f"unknown time zone {self.timezone!r}", where="business hours") from None
        if self.start >= self.end:
            raise BadInput("business hours must start before they end", where="business hours")
        object.__setattr__(self, "days", frozenset(_weekday(day) for day in self.days))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        if not self.days:
            raise BadInput("at least one weekday must be a business day", where="business hours")

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone (ZoneInfo caches instances, so this is cheap)."""
        return ZoneInfo(self.timezone)

    @classmethod
    def with_public_holidays(
        cls,
        timezone: str,
        start: time,
        end: time,
        *,
        country: str,
        years: Iterable[int],
        subdiv: str | None = None,
        days: Iterable[int | str] = MONDAY_TO_FRIDAY,
        extra: Iterable[date] = (),
    ) -> "BusinessCalendar":
        """A calendar closed on the country's public holidays in `years`, plus `extra` dates."""
        official = _public_holidays(country, subdiv, tuple(years))
        return cls(timezone, start, end, frozenset(days), official | frozenset(extra))


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdiv: str | None, years: tuple[int, ...]) -> frozenset[date]:
    """A country's public holidays in `years`, looked up once per process (6 ms each time: a tick's
    every batch builds its calendar)."""
    import holidays as public_holidays  # here: every lead move imports this module, few build a calendar

    try:
        return frozenset(public_holidays.country_holidays(country, subdiv=subdiv, years=list(years)))
    except NotImplementedError:
        raise BadInput(f"no public-holiday calendar for {country!r}", where="business hours") from None


def _weekday(day: int | str) -> int:
    if isinstance(day, str) and day.casefold()[:3] in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(day.casefold()[:3])
    if isinstance(day, int) and 0 <= day <= 6:
        return day
    raise BadInput(f"{day!r} is not a weekday (0=Mon .. 6=Sun, or mon .. sun)", where="business hours")


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise BadInput(f"{name} must be timezone-aware", where=name)
    return moment.astimezone(UTC)


def _opening(calendar: BusinessCalendar, day: date) -> tuple[datetime, datetime] | None:
    """The day's opening and closing in UTC, or None when the day is closed."""
    if day.weekday() not in calendar.days or day in calendar.holidays:
        return None
    zone = calendar.zone
    opens = datetime.combine(day, calendar.start, tzinfo=zone).astimezone(UTC)
    closes = datetime.combine(day, calendar.end, tzinfo=zone).astimezone(UTC)
    return opens, closes


def add_business_hours(calendar: BusinessCalendar, start: datetime, hours: float) -> datetime:
    """The UTC moment `hours` business hours after `start`; a start out of hours waits for opening."""
    start = _utc(start, "start")
    if not math.isfinite(hours) or hours < 0:
        raise BadInput(f"hours must be a finite number >= 0, not {hours}", where="hours")
    remaining = timedelta(hours=hours)
    if not remaining:
        return start
    day = start.astimezone(calendar.zone).date()
    while True:
        opening = _opening(calendar, day)
        if opening is not None:
            begin, closes = max(opening[0], start), opening[1]
            if begin < closes:
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin
        day += _ONE_DAY


def business_hours_between(calendar: BusinessCalendar, a: datetime, b: datetime) -> float:
    """Business hours from `a` to `b` (negative when `b` is before `a`)."""
    a, b = _utc(a, "a"), _utc(b, "b")
    if b < a:
        return -business_hours_between(calendar, b, a)
    zone = calendar.zone
    total = timedelta()
    day, last = a.astimezone(zone).date(), b.astimezone(zone).date()
    while day <= last:
        opening = _opening(calendar, day)
        if opening is not None:
            overlap = min(opening[1], b) - max(opening[0], a)
            if overlap > timedelta():
                total += overlap
        day += _ONE_DAY
    return total / _ONE_HOUR


def is_open(calendar: BusinessCalendar, moment: datetime) -> bool:
    """True when `moment` falls inside the calendar's opening hours (not on a closed day or holiday)."""
    moment = _utc(moment, "moment")
    opening = _opening(calendar, moment.astimezone(calendar.zone).date())
    return opening is not None and opening[0] <= moment < opening[1]


def calendar_of(playbook: Playbook, *, year: int) -> BusinessCalendar:
    """A playbook's business calendar (time zone, hours, holidays) around `year`."""
    hours = playbook.sla.business_hours
    if hours.holidays_country:
        return BusinessCalendar.with_public_holidays(
            hours.timezone, hours.start, hours.end, country=hours.holidays_country,
            years=range(year - 1, year + 3), days=hours.days, extra=hours.holidays)
    return BusinessCalendar(hours.timezone, hours.start, hours.end, frozenset(hours.days), frozenset(hours.holidays))


def sla_calendar(session: Session, *, year: int) -> BusinessCalendar:
    """The active playbook's business calendar, built once per session."""
    current = active(session)
    key = ("revteam.sla_calendar", current.version_id, year)
    if key not in session.info:
        session.info[key] = calendar_of(current.playbook, year=year)
    return session.info[key]


def business_deadline(session: Session, start: datetime, hours: float) -> datetime:
    """`hours` business hours after `start`, on the playbook's calendar."""
    return add_business_hours(sla_calendar(session, year=start.year), start, hours)


def accept_deadline(session: Session, offered_at: datetime) -> datetime:
    """When a rep offered a lead at `offered_at` must have accepted or rejected it."""
    return business_deadline(session, offered_at, active(session).playbook.sla.accept_within_hours)


def first_touch_deadline(session: Session, accepted_at: datetime) -> datetime:
    """When a rep who accepted a lead at `accepted_at` must have made first contact."""
    return business_deadline(session, accepted_at, active(session).playbook.sla.first_touch_within_hours)


def _decided() -> ColumnElement[bool]:
    return Offer.outcome.in_([OfferOutcome.accepted.value, OfferOutcome.rejected.value])


def _accept_overdue(now: datetime) -> ColumnElement[bool]:
    return and_(Offer.outcome == OfferOutcome.open.value, Offer.accept_by < now)


def _touch_overdue(now: datetime) -> ColumnElement[bool]:
    # Only the rep still holding the lead can be late: a withdrawn offer's clock stopped with it.
    return and_(Offer.outcome == OfferOutcome.accepted.value, Offer.first_touch_by.is_not(None),
                Offer.touched_at.is_(None), Offer.first_touch_by < now)


def breached(now: datetime) -> ColumnElement[bool]:
    """Offers in breach at `now`: still open past accept-by, or accepted and untouched past first-touch-by."""
    return or_(_accept_overdue(now), _touch_overdue(now))


def accept_due(now: datetime) -> ColumnElement[bool]:
    """Offers whose accept SLA can be judged at `now`: decided, expired, or open past accept-by."""
    return or_(_decided(), Offer.outcome == OfferOutcome.expired.value, _accept_overdue(now))


def accept_met() -> ColumnElement[bool]:
    """Offers the rep accepted or rejected by accept-by."""
    return and_(_decided(), Offer.decided_at <= Offer.accept_by)


def touch_due(now: datetime) -> ColumnElement[bool]:
    """Accepted offers whose first-touch SLA can be judged at `now`: touched, or untouched past first-touch-by."""
    return or_(and_(Offer.first_touch_by.is_not(None), Offer.touched_at.is_not(None)), _touch_overdue(now))


def touch_met() -> ColumnElement[bool]:
    """Accepted offers first touched by first-touch-by."""
    return Offer.touched_at <= Offer.first_touch_by
