"""Revenue shapes for the API: what comes in to open, win or lose a deal, decide promises, record health."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from revteam.inputs import Count, Day, Id, Line, Lines, Money, TermMonths

SignalName = Annotated[Line, Field(min_length=1, max_length=200)]
Reading = Annotated[float, Field(allow_inf_nan=False)]


class OpportunityIn(BaseModel):
    lead_id: Id
    amount_minor: Money
    expected_close: Day


class WonIn(BaseModel):
    plan: Line = Field(min_length=1, max_length=80)
    seats: Count
    mrr_minor: Money
    term_months: TermMonths
    start: Day
    promises: list[Annotated[Lines, Field(max_length=2000)]] = Field(default_factory=list, max_length=100)
    success_plan: Lines | None = Field(default=None, max_length=10_000)


class LostIn(BaseModel):
    reason: Line = Field(max_length=40)
    on: Day | None = None


class OpportunityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    lead_id: int
    account_id: int | None
    owner_id: int | None
    stage: str
    amount_minor: int
    currency: str
    expected_close: date
    closed_on: date | None
    lost_reason: str | None
    subscription_id: int | None


class PromiseDecisionIn(BaseModel):
    note: Lines | None = Field(default=None, max_length=2000)


class PromiseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    handoff_id: int
    text: str
    status: str
    note: str | None


class HealthIn(BaseModel):
    success_signals: dict[SignalName, Reading | bool] = Field(default_factory=dict, max_length=100)
    happiness: dict[SignalName, Reading] = Field(default_factory=dict, max_length=100)


class HealthOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int
    success_score: int
    happiness_score: int | None
    at_risk: bool
    risk: str | None
