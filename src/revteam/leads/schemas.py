"""Lead shapes for the API: what a caller sends to capture a lead, and what comes back."""

from pydantic import BaseModel, ConfigDict, Field

MAX_BATCH = 1_000


class LeadIn(BaseModel):
    """One lead in revteam's canonical fields; at least an e-mail or a phone."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    company: str | None = None
    website: str | None = None
    country: str | None = None
    state: str | None = None
    city: str | None = None
    industry: str | None = None
    employees: str | int | None = None
    source: str | None = None
    campaign: str | None = None
    product_interest: str | None = None


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
