"""The playbook's `survey:` section: the alignment diagnostic's statements and stage bands."""

from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from revteam.playbook.strict import Strict, reject_duplicates

SURVEY_EVIDENCE = ("forecasts", "blame", "one_definition", "common_metrics", "shared_pipeline")
ANSWER_LOW, ANSWER_HIGH = 1, 5


class SurveyStatement(Strict):
    """One statement answered from 1 (strongly disagree) to 5 (strongly agree); `evidence` names
    the record figure that tests it, if one does."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    text: str = Field(min_length=1, max_length=300)
    evidence: Literal[SURVEY_EVIDENCE] | None = None  # type: ignore[valid-type]


class SurveyBand(Strict):
    """A stage and the respondent totals (inclusive) that fall in it."""

    stage: str = Field(min_length=1, max_length=40)
    low: int
    high: int

    @model_validator(mode="after")
    def _ordered(self):
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self


class Survey(Strict):
    """The alignment diagnostic: the scored statements, the stage bands over a respondent's total,
    the extension statements (answered by all three teams, outside the total) and the smallest group
    whose results are shown."""

    statements: list[SurveyStatement] = Field(min_length=1)
    bands: list[SurveyBand] = Field(min_length=1)
    extension: list[SurveyStatement] = []
    min_group: int = Field(default=3, ge=1)

    @field_validator("bands")
    @classmethod
    def _ascending(cls, bands: list[SurveyBand]) -> list[SurveyBand]:
        for index, (below, above) in enumerate(zip(bands, bands[1:]), start=1):
            if above.low != below.high + 1:
                raise PydanticCustomError("band_gap", "band {index} starts at {low}, expected {expected} "
                                          "(bands must follow each other without gap or overlap)",
                                          {"index": index, "low": above.low, "expected": below.high + 1})
        return bands

    @model_validator(mode="after")
    def _bands_cover_every_total(self):
        reject_duplicates(self.statements + self.extension, lambda statement: statement.id, "id", "Survey")
        lowest, highest = ANSWER_LOW * len(self.statements), ANSWER_HIGH * len(self.statements)
        if (self.bands[0].low, self.bands[-1].high) != (lowest, highest):
            raise ValueError(f"the bands run {self.bands[0].low}-{self.bands[-1].high}; {len(self.statements)} "
                             f"statements give totals {lowest}-{highest}, and the bands must cover exactly those")
        return self

    def stage(self, total: float | None) -> str | None:
        """The band a (mean) total falls in; a mean between two bands' integers belongs to the lower."""
        if total is None:
            return None
        return next(band.stage for band in reversed(self.bands) if total >= band.low)

    def every_statement(self) -> list[SurveyStatement]:
        return [*self.statements, *self.extension]
