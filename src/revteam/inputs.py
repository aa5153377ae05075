"""The shapes every value a client sends must fit, before any of it reaches the database.

Numbers are bounded by the columns that store them (64-bit ids and money, 32-bit counts), text
refuses control characters (PostgreSQL cannot store NUL; the others garble pages and logs), and
days stay where the calendar arithmetic after them (month ends, renewals) cannot overflow.
"""

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
MAX_PAGE = 1_000
# Far below 64 bits: an account's MRR is the sum of its subscriptions, and a delta the difference of two.
MAX_MONEY = 10**15
MAX_TERM_MONTHS = 1_200
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)

Id = Annotated[int, Field(ge=1, le=INT64_MAX, description="A record's id.")]
Offset = Annotated[int, Field(ge=0, le=INT64_MAX, description="How many records to skip.")]
Limit = Annotated[int, Field(ge=1, le=MAX_PAGE, description=f"At most this many records (1 to {MAX_PAGE}).")]
Money = Annotated[int, Field(ge=0, le=MAX_MONEY, description="An amount in minor units (cents).")]
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
TermMonths = Annotated[int, Field(ge=1, le=MAX_TERM_MONTHS, description="A term in months (up to 100 years).")]
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]


# Unicode's control characters (category Cc) and lone surrogates (Cs); the stability policy
# fixes both sets for good. Tab and line breaks are control characters that multi-line text keeps.
LINE_BREAKS_AND_TABS = "\t\n\r"
CONTROL_CHARACTERS = "\x00-\x1f\x7f-\x9f\ud800-\udfff"


def control_characters(allowed: str = "") -> re.Pattern:
    """A pattern finding the control characters text must not hold, but those in `allowed`."""
    kept = "".join(re.escape(character) for character in allowed)
    return re.compile(f"[{CONTROL_CHARACTERS}]" if not kept else f"(?![{kept}])[{CONTROL_CHARACTERS}]")


def _control_characters_refused(allowed: str):
    pattern = control_characters(allowed)

    def check(text: str) -> str:
        if found := pattern.search(text):
            raise PydanticCustomError(
                "control_character", "must not contain control characters: U+{code:04X} at position {position}",
                {"code": ord(found[0]), "position": found.start()})
        return text
    return check


# One line of text (a name, a code, a filter); Lines is text where line breaks and tabs belong (a note).
Line = Annotated[str, AfterValidator(_control_characters_refused(allowed=""))]
Lines = Annotated[str, AfterValidator(_control_characters_refused(allowed=LINE_BREAKS_AND_TABS))]


def problem_location(problem: dict) -> str:
    """Where a validation problem is, as `body.seats` or `path.lead_id`."""
    return ".".join(str(part) for part in problem["loc"])
