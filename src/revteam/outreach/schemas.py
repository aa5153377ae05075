"""Bounces and suppressions as the API takes them."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from revteam.inputs import Line
from revteam.leads.intake.normalize import FIRST_MOMENT, LAST_MOMENT


def _within_calendar(moment: datetime) -> datetime:
    if not FIRST_MOMENT <= moment <= LAST_MOMENT:
        raise ValueError(f"a time from {FIRST_MOMENT:%Y-%m-%d} to {LAST_MOMENT:%Y-%m-%d}")
    return moment


Email = Annotated[Line, Field(min_length=3, max_length=320)]
Moment = Annotated[AwareDatetime, AfterValidator(_within_calendar)]
Reason = Annotated[Line, Field(max_length=500)]


class BounceIn(BaseModel):
    """A hard bounce: the address and when it bounced (with its offset), and the provider's reason."""

    model_config = ConfigDict(extra="forbid")
    email: Email
    at: Moment
    reason: Reason | None = None


BounceBatch = Annotated[list[BounceIn], Field(min_length=1, max_length=1000)]


class SuppressionIn(BaseModel):
    """An admin's suppression of a person, by e-mail, with the reason kept on their leads' timelines."""

    model_config = ConfigDict(extra="forbid")
    email: Email
    reason: Annotated[Reason, Field(min_length=1)]


class BounceOut(BaseModel):
    rows: int
    suppressed: int
    already_suppressed: int
    kept_for_unknown_address: int  # bounces for addresses nobody has yet, kept for whoever arrives with one
    refused: list[dict]  # {"line": position from 1, "reason": ...}


class SuppressionOut(BaseModel):
    email: str
    suppressed: bool
    changed: bool  # false: the person was suppressed already
