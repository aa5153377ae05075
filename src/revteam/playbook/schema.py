"""The shared playbook: one definition of fit, engagement, SLAs, routing and metrics.

Every model forbids unknown keys, so a typo in the YAML is an error, never a silent default.
"""

import difflib
import re
from datetime import date, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import EmailStr, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from revteam.playbook.comp_schema import Comp
from revteam.playbook.conditions import Operator
from revteam.playbook.facts import FACTS, SCORE_FACTS, STORED_FACTS
from revteam.playbook.strict import Strict, reject_duplicates
from revteam.playbook.survey_schema import Survey
from revteam.playbook.visibility import Visibility

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REQUIRED_METRICS: tuple[str, ...] = (
    "mrr_movements", "nrr", "grr", "logo_churn", "revenue_churn", "seat_churn",
    "funnel", "speed_to_lead", "lead_quality",
)
_LIST_OPERATORS = {"in", "not_in", "contains_any"}
_VALUELESS_OPERATORS = {"present", "missing"}


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as 'Europe/Berlin')") from None
    return name


class _ConditionShape(Strict):
    field: str
    op: Operator
    value: Any = None

    @field_validator("field")
    @classmethod
    def _known_fact(cls, name: str) -> str:
        # A condition on a fact nobody builds would silently never match.
        if name not in FACTS:
            guess = difflib.get_close_matches(name, FACTS, n=1)
            raise PydanticCustomError("unknown_fact", "unknown fact '{name}'{guess}; the facts are: {facts}", {
                "name": name, "guess": f" (did you mean {guess[0]!r}?)" if guess else "", "facts": ", ".join(FACTS)})
        return name

    @model_validator(mode="after")
    def _value_fits_operator(self):
        op, value = self.op, self.value
        if op == "between" and not (isinstance(value, list) and len(value) == 2):
            raise ValueError("'between' needs a list of two values [low, high]")
        if op in _LIST_OPERATORS and not isinstance(value, list):
            raise ValueError(f"{op!r} needs a list of values")
        if op in _VALUELESS_OPERATORS and value is not None:
            raise ValueError(f"{op!r} takes no value")
        if op not in _VALUELESS_OPERATORS and value is None:
            raise ValueError(f"{op!r} needs a value")
        if op == "regex":
            try:
                re.compile(value)
            except (re.error, TypeError) as error:
                raise ValueError(f"bad regular expression: {error}") from None
        return self


class Condition(_ConditionShape):
    """One test over a lead's facts, e.g. account.country in [DE, FR]."""


class FitRule(_ConditionShape):
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


class SqlCriterion(Strict):
    id: Literal["budget", "authority", "need", "timing"]
    description: str



def _holiday_countries() -> set[str]:
    """The country codes with a public-holiday calendar, aliases included (`list_supported_countries`
    would import every country's module to list their subdivisions too: a third of a second)."""
    from holidays.registry import EntityLoader

    return set(EntityLoader.get_country_codes())

class BusinessHours(Strict):
    timezone: str
    start: time
    end: time
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(min_length=1)
    holidays_country: str | None = None
    holidays: list[date] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        return _check_timezone(name)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _quoted_time(cls, value: Any) -> Any:
        # YAML 1.1 reads an unquoted 17:30 as the number 1050 (base 60); refuse it rather than guess.
        if isinstance(value, int | float):
            raise ValueError('write times in quotes, e.g. "17:30"')
        return value

    @field_validator("holidays_country")
    @classmethod
    def _supported_country(cls, code: str | None) -> str | None:
        if code is not None and code not in _holiday_countries():
            raise ValueError(f"no public-holiday calendar for country {code!r} (use an ISO code such as 'US')")
        return code

    @model_validator(mode="after")
    def _day_is_not_empty(self):
        if self.start >= self.end:
            raise ValueError("business hours must start before they end")
        if len(set(self.days)) != len(self.days):
            raise ValueError("a weekday is listed twice")
        return self


class Sla(Strict):
    business_hours: BusinessHours
    accept_within_hours: float = Field(gt=0)
    first_touch_within_hours: float = Field(gt=0)
    warn_before_minutes: int = Field(ge=0)
    on_accept_expiry: Literal["escalate_and_reroute", "reroute", "return_to_cultivation"]

    @model_validator(mode="after")
    def _warning_inside_window(self):
        if self.warn_before_minutes >= self.accept_within_hours * 60:
            raise ValueError("warn_before_minutes must be shorter than the accept window")
        return self


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

    rep: EmailStr | None = None
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
    wait: Wait | None = None
    condition: StepCondition | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [name for name in ("touch", "wait", "condition") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("a step is exactly one of touch, wait or condition")
        return self

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


def _check_track_stages(tracks: list[Track], stages: list[str]) -> None:
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


class MetricDefinition(Strict):
    description: str
    formula: str | None = None
    denominator: str | None = None
    period: Literal["month", "quarter", "year"] | None = None
    vanity_version: str | None = None  # the common, flattering version and why it differs


class Predictive(Strict):
    """The optional predictive score (leads/scoring/predictive): its window, its minimum history, retraining."""

    window_days: int = Field(default=30, gt=0, le=365)  # engagement read after a lead's creation
    min_closed_leads: int = Field(default=300, ge=10)
    min_won: int = Field(default=30, ge=2)
    retrain_every_days: int | None = Field(default=None, gt=0)  # None: retrained only by `scoring train`


class Playbook(Strict):
    """The whole shared playbook, as validated from YAML."""

    name: str
    timezone: str
    icp: Icp
    engagement: Engagement
    mql_threshold: int
    # Engagement never makes a poor-fit person (student, competitor...) an MQL: fit must reach this too.
    mql_min_fit: int | None = None
    sql_criteria: list[SqlCriterion]
    sla: Sla
    reject_reasons: list[RejectReason] = Field(min_length=1)
    lost_reasons: list[LostReason] = Field(min_length=1)
    routing: Routing
    buying_stages: list[str] = Field(default=["awareness", "consideration", "decision"], min_length=1)
    tracks: list[Track] = []
    committee: Committee = Committee()
    metrics: dict[str, MetricDefinition]
    bookings_churn_window_months: int = Field(gt=0)
    visibility: Visibility = Visibility()
    survey: Survey | None = None
    comp: Comp | None = None
    predictive: Predictive = Predictive()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        return _check_timezone(name)

    @field_validator("sql_criteria")
    @classmethod
    def _unique_criteria(cls, criteria: list[SqlCriterion]) -> list[SqlCriterion]:
        reject_duplicates(criteria, lambda criterion: criterion.id, "id", "Playbook")
        return criteria

    @field_validator("reject_reasons", "lost_reasons")
    @classmethod
    def _unique_codes(cls, reasons: list[Any]) -> list[Any]:
        reject_duplicates(reasons, lambda reason: reason.code, "code", "Playbook")
        return reasons

    @field_validator("buying_stages")
    @classmethod
    def _unique_stages(cls, stages: list[str]) -> list[str]:
        reject_duplicates(stages, lambda stage: stage, "stage", "Playbook")
        return stages

    @field_validator("tracks")
    @classmethod
    def _tracks_fit_stages(cls, tracks: list[Track], info: ValidationInfo) -> list[Track]:
        reject_duplicates(tracks, lambda track: track.id, "id", "Playbook")
        if "buying_stages" in info.data:
            _check_track_stages(tracks, info.data["buying_stages"])
        return tracks

    @field_validator("metrics")
    @classmethod
    def _every_metric_defined(cls, metrics: dict[str, MetricDefinition]) -> dict[str, MetricDefinition]:
        missing = [name for name in REQUIRED_METRICS if name not in metrics]
        if missing:
            raise ValueError(f"missing metric definitions: {', '.join(missing)}")
        return metrics

    @field_validator("mql_min_fit")
    @classmethod
    def _min_fit_reachable(cls, min_fit: int | None, info: ValidationInfo) -> int | None:
        if min_fit is None or "icp" not in info.data:
            return min_fit
        best_fit = sum(rule.points for rule in info.data["icp"].fit_rules if rule.points > 0)
        if min_fit > best_fit:
            raise ValueError(f"mql_min_fit {min_fit} is above all positive ICP points added up "
                             f"({best_fit}): no lead could ever become an MQL")
        return min_fit

    def reject_reason(self, code: str) -> RejectReason | None:
        """The reject reason with this code, or None."""
        return next((reason for reason in self.reject_reasons if reason.code == code), None)

    def lost_reason(self, code: str) -> LostReason | None:
        """The lost reason with this code, or None."""
        return next((reason for reason in self.lost_reasons if reason.code == code), None)

    def track(self, track_id: str) -> Track | None:
        """The track with this id, or None (a track removed since a lead was enrolled)."""
        return next((track for track in self.tracks if track.id == track_id), None)
