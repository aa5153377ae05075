"""Revenue shapes for the API: what comes in to open, win or lose a deal, decide promises, record health."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class OpportunityIn(BaseModel):
    lead_id: int
    amount_minor: int = Field(ge=0)
    expected_close: date


class WonIn(BaseModel):
    plan: str = Field(min_length=1, max_length=80)
    seats: int = Field(ge=0)
    mrr_minor: int = Field(ge=0)
    term_months: int = Field(ge=1)
    start: date
    promises: list[str] = Field(default_factory=list)
    success_plan: str | None = None


class LostIn(BaseModel):
    reason: str
    on: date | None = None


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
    note: str | None = None


class PromiseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    handoff_id: int
    text: str
    status: str
    note: str | None


class HealthIn(BaseModel):
    success_signals: dict[str, float | bool] = Field(default_factory=dict)
    happiness: dict[str, float] = Field(default_factory=dict)


class HealthOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int
    success_score: int
    happiness_score: int | None
    at_risk: bool
    risk: str | None
