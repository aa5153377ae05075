"""The playbook's routing: reasons to reject or lose a lead, rules, targets and the fallback."""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, WithJsonSchema, field_validator, model_validator

from revteam.playbook.condition_schema import Condition
from revteam.playbook.strict import Strict, reject_duplicates


def _normalised_email(value: str) -> str:
    """pydantic's `EmailStr` check, whose type loads `email_validator` (about a fifth of `playbook
    validate`) as the schema is built: here it loads only for a playbook that names a rep."""
    from pydantic.networks import validate_email

    return validate_email(value)[1]


Email = Annotated[str, AfterValidator(_normalised_email), WithJsonSchema({"type": "string", "format": "email"})]


class RejectReason(Strict):
    code: str
    label: str
    then: Literal["cultivate", "reroute"]


class LostReason(Strict):
    code: str
    label: str
    good_fit_returns_after_days: int | None = Field(default=None, gt=0)


class Target(Strict):
    """Where a routed lead goes: exactly one of a rep, a team, a pod or the account owner."""

    rep: Email | None = None
    team: str | None = None
    pod: str | None = None
    account_owner: bool | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        chosen = [name for name in ("rep", "team", "pod", "account_owner") if getattr(self, name)]
        if len(chosen) != 1:
            raise ValueError("a target names exactly one of rep, team, pod or account_owner: true")
        return self


class RoutingRule(Strict):
    id: str
    description: str
    when: list[Condition]
    target: Target


class Routing(Strict):
    model: Literal["assembly_line", "pods"]
    rules: list[RoutingRule]
    fallback: Target
    handoff_rules: list[RoutingRule] = []

    @field_validator("rules", "handoff_rules")
    @classmethod
    def _unique_ids(cls, rules: list[RoutingRule]) -> list[RoutingRule]:
        reject_duplicates(rules, lambda rule: rule.id, "id", "Routing")
        return rules
