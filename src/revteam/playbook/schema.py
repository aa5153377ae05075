"""The shared playbook: one definition of fit, engagement, SLAs, routing and metrics.

Every model forbids unknown keys, so a typo in the YAML is an error, never a silent default. Each
section lives in its own module (condition, scoring, committee, calendar, routing, track, comp, survey).
"""

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from revteam.playbook.calendar_schema import Sla, check_timezone
from revteam.playbook.committee_schema import Committee
from revteam.playbook.comp_schema import Comp
from revteam.playbook.graduation_schema import Graduation, check_graduation
from revteam.playbook.routing_schema import LostReason, RejectReason, Routing
from revteam.playbook.scoring_schema import Engagement, Icp, MqlCondition, Predictive, SqlCriterion
from revteam.playbook.strict import Strict, reject_duplicates
from revteam.playbook.survey_schema import Survey
from revteam.playbook.touch_schema import DEFAULT_TEMPLATE, TouchTemplate
from revteam.playbook.track_schema import Track, check_track_stages, touch_assets
from revteam.playbook.visibility import Visibility

REQUIRED_METRICS: tuple[str, ...] = (
    "mrr_movements", "nrr", "grr", "logo_churn", "revenue_churn", "seat_churn",
    "funnel", "speed_to_lead", "lead_quality",
)


class MetricDefinition(Strict):
    description: str
    formula: str | None = None
    denominator: str | None = None
    period: Literal["month", "quarter", "year"] | None = None
    vanity_version: str | None = None  # the common, flattering version and why it differs


class Playbook(Strict):
    """The whole shared playbook, as validated from YAML."""

    name: str
    timezone: str
    icp: Icp
    engagement: Engagement
    mql_threshold: int
    # Engagement never makes a poor-fit person (student, competitor...) an MQL: fit must reach this too.
    mql_min_fit: int | None = None
    # Further conditions an MQL must meet, all of them (e.g. the predictive score: lead.predicted gte 0.3).
    mql_when: list[MqlCondition] = []
    sql_criteria: list[SqlCriterion]
    sla: Sla
    reject_reasons: list[RejectReason] = Field(min_length=1)
    lost_reasons: list[LostReason] = Field(min_length=1)
    routing: Routing
    buying_stages: list[str] = Field(default=["awareness", "consideration", "decision"], min_length=1)
    tracks: list[Track] = []
    touch_templates: dict[str, TouchTemplate] = Field(default={}, validate_default=True)
    committee: Committee = Committee()
    graduation: Graduation = Graduation()
    metrics: dict[str, MetricDefinition]
    bookings_churn_window_months: int = Field(gt=0)
    visibility: Visibility = Visibility()
    survey: Survey | None = None
    comp: Comp | None = None
    predictive: Predictive = Predictive()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        return check_timezone(name)

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
            check_track_stages(tracks, info.data["buying_stages"])
        return tracks

    @field_validator("touch_templates")
    @classmethod
    def _every_touch_has_a_template(cls, templates: dict[str, TouchTemplate],
                                    info: ValidationInfo) -> dict[str, TouchTemplate]:
        if DEFAULT_TEMPLATE in templates:
            return templates
        missing = sorted({asset for _, asset in touch_assets(info.data.get("tracks", [])) if asset not in templates})
        if missing:
            raise ValueError(f"no template for touch {', '.join(missing)} and no `{DEFAULT_TEMPLATE}` template")
        return templates
    @field_validator("graduation")
    @classmethod
    def _graduation_names_known(cls, graduation: Graduation, info: ValidationInfo) -> Graduation:
        if "sql_criteria" in info.data and "committee" in info.data:
            check_graduation(graduation, [criterion.id for criterion in info.data["sql_criteria"]],
                             info.data["committee"].roles)
        return graduation

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

    def condition_fields(self) -> set[str]:
        """The facts some routing, hand-off, track or graduation condition reads."""
        conditions = [condition for rule in (*self.routing.rules, *self.routing.handoff_rules)
                      for condition in rule.when] + self.graduation.when
        for track in self.tracks:
            conditions += track.when
            conditions += [condition for step in track.steps if step.condition for condition in step.condition.when]
        return {condition.field for condition in conditions} | self.graduation.role_facts()

    def touch_template(self, asset: str) -> TouchTemplate | None:
        """The template a touch of this asset sends: its own, else the default one."""
        return self.touch_templates.get(asset) or self.touch_templates.get(DEFAULT_TEMPLATE)

    def track(self, track_id: str) -> Track | None:
        """The track with this id, or None (a track removed since a lead was enrolled)."""
        return next((track for track in self.tracks if track.id == track_id), None)
