"""Lead shapes for the API: what a caller sends to capture a lead, and what comes back."""

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag
from pydantic_core import PydanticCustomError

from revteam.inputs import INT32_MAX, Id, Line

MAX_BATCH = 1_000
# Far above every stored column (a longer value is cut to its column with a warning): this only
# refuses what no real lead sends, before it costs any parsing.
MAX_FIELD_LENGTH = 1_000
Text = Annotated[Line, StringConstraints(max_length=MAX_FIELD_LENGTH)]
_DIGITS = re.compile(r"\d+")


def _size_fits_its_column(size: int | str) -> int | str:
    """A company size, as a number or as written ("51-200", "10,001+"): no number in it past 32 bits."""
    written = size.replace(",", "").replace(" ", "") if isinstance(size, str) else str(size)
    if (isinstance(size, int) and size < 0) or any(int(digits) > INT32_MAX for digits in _DIGITS.findall(written)):
        raise PydanticCustomError("company_size", "a company size is at most {most} employees", {"most": INT32_MAX})
    return size


CompanySize = Annotated[int | Text, AfterValidator(_size_fits_its_column)]


class LeadIn(BaseModel):
    """One lead in revteam's canonical fields; at least an e-mail or a phone."""

    model_config = ConfigDict(extra="forbid")

    email: Text | None = None
    phone: Text | None = None
    first_name: Text | None = None
    last_name: Text | None = None
    title: Text | None = None
    company: Text | None = None
    website: Text | None = None
    country: Text | None = None
    state: Text | None = None
    city: Text | None = None
    industry: Text | None = None
    employees: CompanySize | None = None
    source: Text | None = None
    campaign: Text | None = None
    product_interest: Text | None = None


class LeadBatchIn(BaseModel):
    leads: list[LeadIn] = Field(min_length=1, max_length=MAX_BATCH)


class CaptureOut(BaseModel):
    batch: str
    rows: int
    landed: int
    new_leads: int
    merged: int
    refused: list[dict]
    accounts_created: int
    accounts_matched: int
    lead_ids: list[Id]


class TouchIn(BaseModel):
    """One touch of a known person (`revteam import activities` reads the same fields from a file)."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[Line, StringConstraints(min_length=1, max_length=320)]
    type: Annotated[Line, StringConstraints(min_length=1, max_length=40)] = Field(
        description="The playbook's engagement type (email_open, page_visit, ...); another earns 0 points.")
    at: datetime = Field(description="When it happened: ISO 8601, UTC unless it has an offset.")
    channel: Annotated[Line, StringConstraints(max_length=80)] | None = None
    campaign: Annotated[Line, StringConstraints(max_length=200)] | None = None
    detail: Annotated[Line, StringConstraints(max_length=200)] | None = None
    count: int = Field(default=1, ge=1, le=100, description="How many times it happened at that moment.")

    def fields(self) -> dict[str, str]:
        """The touch as a file row gives it: every field as text."""
        return {name: value.isoformat() if isinstance(value, datetime) else str(value)
                for name, value in self.model_dump().items() if value is not None}


TouchBatchIn = Annotated[list[TouchIn], Field(min_length=1, max_length=MAX_BATCH)]
# One touch (an object) or a batch (a list), told apart by the JSON's shape, so a problem is named
# in the shape sent: `body.one.at`, `body.batch.3.count`.
OneOrMoreActivities = Annotated[Annotated[TouchIn, Tag("one")] | Annotated[TouchBatchIn, Tag("batch")],
                                Discriminator(lambda body: "batch" if isinstance(body, list) else "one")]


class ActivitiesOut(BaseModel):
    batch: str
    rows: int
    landed: int
    touches: int
    duplicates: int
    on_leads: int
    on_people: int
    leads_rescored: int
    qualified: int
    refused: list[dict]
    lead_ids: list[Id]
