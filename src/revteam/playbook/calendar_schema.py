"""The playbook's calendar and SLAs: business hours, holidays, accept and first-touch windows."""

from datetime import date, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from revteam.playbook.strict import Strict


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as 'Europe/Berlin')") from None
    return name


def _holiday_countries() -> set[str]:
    """The country codes with a public-holiday calendar, aliases included (`list_supported_countries`
    would import every country's module to list their subdivisions too: a third of a second)."""
    from holidays.registry import EntityLoader

    return set(EntityLoader.get_country_codes())


class BusinessHours(Strict):
    timezone: str
    start: time
    end: time
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(min_length=1)
    holidays_country: str | None = None
    holidays: list[date] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        return check_timezone(name)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _quoted_time(cls, value: Any) -> Any:
        # YAML 1.1 reads an unquoted 17:30 as the number 1050 (base 60); refuse it rather than guess.
        if isinstance(value, int | float):
            raise ValueError('write times in quotes, e.g. "17:30"')
        return value

    @field_validator("holidays_country")
    @classmethod
    def _supported_country(cls, code: str | None) -> str | None:
        if code is not None and code not in _holiday_countries():
            raise ValueError(f"no public-holiday calendar for country {code!r} (use an ISO code such as 'US')")
        return code

    @model_validator(mode="after")
    def _day_is_not_empty(self):
        if self.start >= self.end:
            raise ValueError("business hours must start before they end")
        if len(set(self.days)) != len(self.days):
            raise ValueError("a weekday is listed twice")
        return self


class Sla(Strict):
    business_hours: BusinessHours
    accept_within_hours: float = Field(gt=0)
    first_touch_within_hours: float = Field(gt=0)
    warn_before_minutes: int = Field(ge=0)
    on_accept_expiry: Literal["escalate_and_reroute", "reroute", "return_to_cultivation"]

    @model_validator(mode="after")
    def _warning_inside_window(self):
        if self.warn_before_minutes >= self.accept_within_hours * 60:
            raise ValueError("warn_before_minutes must be shorter than the accept window")
        return self
