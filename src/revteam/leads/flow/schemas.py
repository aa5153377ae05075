"""Shapes of the lead flow for the API and `--json`: what an action takes and what it answers."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from revteam.inputs import INT64_MAX, Line, Lines


class RejectIn(BaseModel):
    reason: Line = Field(min_length=1, max_length=200, description="A reject reason code from the playbook.")
    note: Lines | None = Field(default=None, max_length=2000)


class CriteriaIn(BaseModel):
    criteria: list[Annotated[Line, Field(min_length=1, max_length=20)]] = Field(
        min_length=1, max_length=20, description="SQL criteria confirmed (the playbook's sql_criteria ids).")
    note: Lines | None = Field(default=None, max_length=2000)


class EvaluateIn(BaseModel):
    to: Literal["cultivation", "reroute"] | None = Field(
        default=None, description="Default: what the reject reason's `then` says.")


class DisposeIn(BaseModel):
    outcome: Literal["won", "lost", "not_a_lead"]
    reason: Line | None = Field(default=None, max_length=200, description="A lost reason code (outcome lost only).")


class OfferOut(BaseModel):
    id: int
    rep: str
    stage: str
    outcome: str
    offered_at: datetime
    accept_by: datetime
    first_touch_by: datetime | None
    touched_at: datetime | None
    reason_code: str | None


class LeadStatusOut(BaseModel):
    """A lead after an action: its state, owner and latest offer."""

    id: int
    state: str
    owner: str | None
    version: int
    offer: OfferOut | None



class ActivityIn(BaseModel):
    kind: Literal["call", "email", "meeting", "note"] = "call"
    note: Lines | None = Field(default=None, max_length=2000)


class ReassignIn(BaseModel):
    rep: Line = Field(min_length=1, max_length=320, description="The e-mail of the rep who gets the lead.")
    reason: Line = Field(min_length=1, max_length=200, description="Why; recorded and sent to the rep.")


class CultivateIn(BaseModel):
    reason: Line = Field(min_length=1, max_length=200)


class BulkIn(BaseModel):
    action: Literal["reassign", "cultivate"]
    lead_ids: list[Annotated[int, Field(ge=1, le=INT64_MAX)]] = Field(min_length=1, max_length=500)
    reason: Line = Field(min_length=1, max_length=200)
    rep: Line | None = Field(default=None, max_length=320, description="For reassign: the rep's e-mail.")


class EditIn(BaseModel):
    """Only the fields given change; an empty string clears a field (the company cannot be cleared)."""

    first_name: Line | None = Field(default=None, max_length=200)
    last_name: Line | None = Field(default=None, max_length=200)
    title: Line | None = Field(default=None, max_length=200)
    phone: Line | None = Field(default=None, max_length=40)
    company: Line | None = Field(default=None, min_length=1, max_length=200)
    committee_role: Line | None = Field(default=None, max_length=20)
