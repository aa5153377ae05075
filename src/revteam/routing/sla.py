"""The SLA clock: business-hours arithmetic in the team's time zone.

Hand-written on purpose: the PyPI candidates (businesstime 0.3.0, 2018; businesstimedelta
1.0.1, 2019, on pytz; business-calendar 0.2.1, 2015; business-duration, which only measures)
are unmaintained or cannot add hours to a moment. Working day by day keeps it short and exact:
each business day's opening and closing are placed in the local zone and turned into UTC, so a
DST change moves the UTC window and the count is always real elapsed time; weekends and
holidays are skipped a whole day at a time. Opening hours must not cross midnight.
"""

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as public_holidays

from revteam.errors import BadInput

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
        try:
            official = public_holidays.country_holidays(country, subdiv=subdiv, years=list(years))
        except NotImplementedError:
            raise BadInput(f"no public-holiday calendar for {country!r}", where="business hours") from None
        return cls(timezone, start, end, frozenset(days), frozenset(official) | frozenset(extra))


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
