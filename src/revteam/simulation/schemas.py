"""What a simulation or a simulated activation is asked with over HTTP."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from revteam.inputs import Lines


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    playbook: Lines = Field(min_length=1, max_length=1_000_000, description="The draft playbook's YAML.")
    since: str | None = Field(default=None, max_length=5, description="The last N days, written like 30d.")
    first: date | None = Field(default=None, alias="from", description="First day (UTC); goes with `to`.")
    last: date | None = Field(default=None, alias="to", description="Last day (UTC), included.")
    weights: dict[str, int] = Field(default={}, max_length=1000,
                                    description="Round-robin weights of reps (by e-mail) under the draft.")
