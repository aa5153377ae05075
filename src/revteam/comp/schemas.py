"""What clients send to comp over HTTP."""

from pydantic import BaseModel, ConfigDict, Field

from revteam.inputs import Lines, Money


class DisputeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line: int = Field(ge=0, le=10_000, description="The disputed line's position in the statement (from 0).")
    expected_minor: Money = Field(description="The amount the rep expected, in minor units.")
    reason: Lines = Field(min_length=1, max_length=2000)


class ResolutionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accept: bool
    note: Lines = Field(min_length=1, max_length=2000)


class SimulationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    playbook: Lines = Field(min_length=1, max_length=1_000_000, description="The draft playbook's YAML.")
    first: str | None = Field(default=None, alias="from", pattern=r"^\d{4}-\d{2}$",
                              description="First month (default: twelve months ago).")
    last: str | None = Field(default=None, alias="to", pattern=r"^\d{4}-\d{2}$",
                             description="Last month (default: last month).")
