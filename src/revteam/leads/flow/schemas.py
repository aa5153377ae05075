"""Shapes of the lead flow for the API and `--json`: what an action takes and what it answers."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from revteam.inputs import Line, Lines


class RejectIn(BaseModel):
    reason: Line = Field(min_length=1, max_length=200, description="A reject reason code from the playbook.")
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

