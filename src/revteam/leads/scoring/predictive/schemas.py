"""What the scoring API answers: a model's report (as `revteam scoring train --json`), predictions, an explanation."""

from pydantic import BaseModel, Field


class TrainedOn(BaseModel):
    leads: int = Field(description="Closed leads the model learned from (the earliest 80 %).")
    won: int
    created_until: str = Field(description="When the newest of them was created (ISO time).")


class Backtest(BaseModel):
    leads: int = Field(description="The latest 20 % of the closed leads, which the model did not see.")
    won: int
    auc: float | None = Field(description="The model's AUC on them; null when they are all won or all lost.")
    rule_score_auc: float | None = Field(description="The playbook's own score's AUC on the same leads.")
    created_from: str | None


class Decile(BaseModel):
    decile: int
    leads: int
    predicted: float = Field(description="The decile's mean predicted probability.")
    actual: float = Field(description="The decile's actual win rate.")


class Factor(BaseModel):
    name: str = Field(description="A column: a category as `name=value`, or a count per standard deviation.")
    weight: float


class ModelReport(BaseModel):
    """A model version and its backtest; `predicted_open_leads` when it was just trained, `trained_at` when read."""

    model: int = Field(description="The model's version.")
    trained_at: str | None = None
    trained_on: TrainedOn
    test: Backtest
    calibration: list[Decile]
    factors: list[Factor]
    window_days: int
    predicted_open_leads: int | None = None


class Prediction(BaseModel):
    lead_id: int
    email: str | None
    probability: float = Field(ge=0, le=1)


class ExplanationLine(BaseModel):
    factor: str
    value: str = Field(description="This lead's value of the factor.")
    points: float = Field(description="Points of probability (out of 100) the factor added or took away.")


class Explanation(BaseModel):
    lead_id: int
    model: int
    as_of: str = Field(description="The moment the lead is seen as of: the end of its window, its closing, or now.")
    probability: float = Field(ge=0, le=1)
    baseline_points: float = Field(description="An average lead's probability, in points.")
    lines: list[ExplanationLine] = Field(description="Added to baseline_points, they make 100 × probability.")
