"""The survey's API bodies."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from revteam.inputs import Line

RoundName = Annotated[Line, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$",
                                  description="The round's name, e.g. 2026-h1.")]
Answer = Annotated[int, Field(ge=1, le=5, description="1 strongly disagree ... 5 strongly agree.")]
StatementId = Annotated[str, Field(min_length=1, max_length=40)]



def _in_utc(moment: datetime) -> datetime:
    """The moment in UTC; one that UTC cannot hold (year 9999 west of Greenwich) is refused."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range") from None


Moment = Annotated[AwareDatetime, AfterValidator(_in_utc)]


class RoundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: RoundName
    closes_at: Moment
    invite: list[Annotated[Line, Field(min_length=1, max_length=80)]] | None = Field(
        default=None, max_length=100, description="Team names or marketing|sales|success; none invites all three teams.")


class AnswersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[StatementId, Answer] = Field(max_length=200, description="Statement id to answer, every statement once.")
