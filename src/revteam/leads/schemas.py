"""Lead shapes for the API: what a caller sends to capture a lead, and what comes back."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_BATCH = 1_000
# Far above every stored column (a longer value is cut to its column with a warning): this only
# refuses what no real lead sends, before it costs any parsing.
MAX_FIELD_LENGTH = 1_000
Text = Annotated[str, StringConstraints(max_length=MAX_FIELD_LENGTH)]


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
    employees: Text | int | None = None
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
    lead_ids: list[int]
