"""The playbook's scoring sections: ICP fit rules, engagement points, SQL criteria, the predictive score."""

from typing import Literal

from pydantic import Field, field_validator

from revteam.playbook.condition_schema import ConditionShape
from revteam.playbook.facts import SCORE_FACTS, STORED_FACTS
from revteam.playbook.strict import Strict, reject_duplicates


class FitRule(ConditionShape):
    """An ideal-customer-profile rule: when the condition holds, add (or subtract) points."""

    id: str
    description: str
    points: int

    @field_validator("field")
    @classmethod
    def _not_a_score(cls, name: str) -> str:
        if name in SCORE_FACTS:
            raise ValueError(f"fit rules cannot read {name}: it is a score they make (routing and tracks can)")
        if name in STORED_FACTS:
            raise ValueError(f"fit rules cannot read {name}: it is read from stored records (routing and tracks can)")
        return name


class MqlCondition(ConditionShape):
    """A condition a lead must meet, beyond the threshold and the minimum fit, to be marketing-qualified,
    e.g. lead.predicted gte 0.3. It reads the facts intake has when it decides: the lead's own and its
    account's, and the predictive model's probability."""

    @field_validator("field")
    @classmethod
    def _known_at_scoring(cls, name: str) -> str:
        if name in SCORE_FACTS - {"lead.predicted"}:
            raise ValueError(f"an MQL condition cannot read {name}: it is the score being decided "
                             "(mql_threshold and mql_min_fit set its bar)")
        if name in STORED_FACTS:
            raise ValueError(f"an MQL condition cannot read {name}: it is read from stored records, "
                             "which a lead being captured has not got yet")
        return name


class Icp(Strict):
    fit_rules: list[FitRule]

    @field_validator("fit_rules")
    @classmethod
    def _unique_ids(cls, rules: list[FitRule]) -> list[FitRule]:
        reject_duplicates(rules, lambda rule: rule.id, "id", "Icp")
        return rules


class Engagement(Strict):
    half_life_days: float = Field(gt=0)
    points: dict[str, int]


class SqlCriterion(Strict):
    id: Literal["budget", "authority", "need", "timing"]
    description: str


class Predictive(Strict):
    """The optional predictive score (leads/scoring/predictive): its window, its minimum history, retraining."""

    window_days: int = Field(default=30, gt=0, le=365)  # engagement read after a lead's creation
    min_closed_leads: int = Field(default=300, ge=10)
    min_won: int = Field(default=30, ge=2)
    retrain_every_days: int | None = Field(default=None, gt=0)  # None: retrained only by `scoring train`
