"""The playbook's buying committee: roles, title rules that suggest one, when a person counts as engaged."""

import re

from pydantic import Field, field_validator, model_validator

from revteam.playbook.strict import Strict, reject_duplicates


class TitleRule(Strict):
    """A title holding `pattern` (a case-blind regular expression) suggests `role`."""

    pattern: str = Field(min_length=1)
    role: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"bad regular expression: {error}") from None
        return pattern


DEFAULT_COMMITTEE_ROLES = ["decision_maker", "economic_buyer", "champion", "influencer", "user", "blocker"]
DEFAULT_TITLE_RULES = [
    TitleRule(pattern=r"\b(chief|c[efitrm]o|president|vp|vice president|head of)\b", role="decision_maker"),
    TitleRule(pattern=r"\b(finance|procurement|purchasing|controller)\b", role="economic_buyer"),
    TitleRule(pattern=r"\b(director|manager|lead)\b", role="influencer"),
    TitleRule(pattern=r"\b(analyst|engineer|specialist|coordinator|associate)\b", role="user"),
]


class Committee(Strict):
    """The buying committee: its roles, the title rules that suggest one, and when a person counts as engaged."""

    roles: list[str] = Field(default=DEFAULT_COMMITTEE_ROLES, min_length=1)
    title_rules: list[TitleRule] = DEFAULT_TITLE_RULES
    engaged_points: float = Field(default=5, gt=0)  # decayed engagement points a person needs...
    engaged_within_days: int = Field(default=90, gt=0)  # ...from touches in this window

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, roles: list[str]) -> list[str]:
        reject_duplicates(roles, lambda role: role, "role", "Committee")
        if long := [role for role in roles if len(role) > 20]:
            raise ValueError(f"a role name has at most 20 characters: {', '.join(long)}")
        return roles

    @model_validator(mode="after")
    def _rules_name_roles(self):
        unknown = sorted({rule.role for rule in self.title_rules} - set(self.roles))
        if unknown:
            raise ValueError(f"title_rules name roles not in committee.roles: {', '.join(unknown)}")
        return self
