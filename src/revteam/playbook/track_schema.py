"""The playbook's cultivation tracks: steps (touch, wait, condition) for one buying stage."""

from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from revteam.playbook.condition_schema import Condition
from revteam.playbook.strict import Strict


class Wait(Strict):
    """How long a track pauses: business days on the SLA calendar, or plain hours."""

    business_days: int | None = Field(default=None, gt=0)
    hours: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.business_days is None) == (self.hours is None):
            raise ValueError("a wait gives exactly one of business_days or hours")
        return self


class StepCondition(Strict):
    """When every condition holds, the lead leaves the track (`exit`) or jumps over the next step."""

    when: list[Condition] = Field(min_length=1)
    then: Literal["exit", "skip_next"]


class TrackStep(Strict):
    """One step of a track: exactly one of a content touch, a wait or a condition."""

    touch: str | None = Field(default=None, min_length=1)  # the content asset sent
    via: Literal["email", "task"] | None = None  # a touch: e-mailed to the person (default) or a task for the owner
    wait: Wait | None = None
    condition: StepCondition | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [name for name in ("touch", "wait", "condition") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("a step is exactly one of touch, wait or condition")
        if self.via is not None and self.touch is None:
            raise ValueError("only a touch step says `via` (email or task)")
        return self

    @property
    def sends_email(self) -> bool:
        return self.touch is not None and self.via != "task"

    @property
    def kind(self) -> str:
        return next(name for name in ("touch", "wait", "condition") if getattr(self, name) is not None)


class Track(Strict):
    """A cultivation track for one buying stage; the first track whose `when` holds enrolls a lead."""

    id: str
    name: str
    stage: str
    when: list[Condition] = []  # empty: every lead in cultivation
    steps: list[TrackStep] = Field(min_length=1)


def touch_assets(tracks: list[Track]) -> list[tuple[tuple[int, str, int, str], str]]:
    """Every touch step's asset with its location in the playbook: ((track, "steps", step, "touch"), asset)."""
    return [((index, "steps", step_index, "touch"), step.touch)
            for index, track in enumerate(tracks) for step_index, step in enumerate(track.steps) if step.touch]


def check_track_stages(tracks: list[Track], stages: list[str]) -> None:
    problems = [
        InitErrorDetails(
            type=PydanticCustomError("unknown_stage", "not one of buying_stages: {stages}",
                                     {"stages": ", ".join(stages)}),
            loc=(index, "stage"), input=track.stage,
        )
        for index, track in enumerate(tracks) if track.stage not in stages
    ]
    if problems:
        raise ValidationError.from_exception_data("Playbook", problems)
