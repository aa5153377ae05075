"""Calendar months written YYYY-MM, and periods of them: how the API, the pages and the CLI read
`from` and `to`, so every one refuses a bad month with the same message."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from revteam.errors import BadInput

_WRITTEN = re.compile(r"(\d{4})-(\d{2})")
# Year 9999's December would end in year 10000, which `date` cannot hold.
FIRST_YEAR, LAST_YEAR = 1, 9998


@dataclass(frozen=True, order=True)
class Month:
    """One calendar month; `start` is its first day, `end` the first day after it."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str, *, where: str = "month") -> "Month":
        """The month written YYYY-MM; BadInput naming `where` and the text otherwise."""
        found = _WRITTEN.fullmatch(text) if isinstance(text, str) else None
        if not found or not 1 <= int(found[2]) <= 12 or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
            raise BadInput(f"{text!r} is not a month, expected YYYY-MM (years {FIRST_YEAR} to {LAST_YEAR})",
                           where=where)
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def of(cls, day: date) -> "Month":
        """The month a day (or moment) falls in."""
        return cls(day.year, day.month)

    @classmethod
    def at(cls, moment: datetime, timezone: str) -> "Month":
        """The month a moment falls in on the wall clock of `timezone` (the playbook's): 23:30 UTC on
        31 January is February in Tokyo."""
        return cls.of(moment.astimezone(ZoneInfo(timezone)))

    def plus(self, months: int) -> "Month":
        """The month `months` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def next(self) -> "Month":
        return self.plus(1)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        """The first day of the next month: a month is start <= day < end."""
        return self.next().start

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def midnight(day: date) -> datetime:
    """The UTC moment a day begins, for comparing with timestamps."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@dataclass(frozen=True)
class Period:
    """Months first..last, both included; None leaves that end open."""

    first: Month | None = None
    last: Month | None = None

    def __post_init__(self) -> None:
        if self.first and self.last and self.last < self.first:
            raise BadInput(f"{self.first} is after {self.last}", where="from")

    @classmethod
    def parse(cls, first: str | None, last: str | None) -> "Period":
        """The period a user asked for with `from` and `to` (either may be left out)."""
        return cls(Month.parse(first, where="from") if first else None,
                   Month.parse(last, where="to") if last else None)

    @property
    def start(self) -> date | None:
        return self.first.start if self.first else None

    @property
    def end(self) -> date | None:
        """The first day after the period (exclusive), or None when it is open."""
        return self.last.end if self.last else None

    def months(self) -> list[Month]:
        """Every month from first to last; BadInput when an end is open."""
        for end, where in ((self.first, "from"), (self.last, "to")):
            if end is None:
                raise BadInput("this needs a month here, written YYYY-MM", where=where)
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = month.next()
        return found

    def written(self) -> list[str | None]:
        """[first, last] as YYYY-MM (None for an open end), as reports show their period."""
        return [str(self.first) if self.first else None, str(self.last) if self.last else None]
