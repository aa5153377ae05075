"""Compensation plans: per role, a variable target split between new business and expansion, each
component with its quota and the MRR movements credited to it, rate tiers, long-term KPIs and a
clawback. Money is written in major units (12000.00) and read as Decimal; nothing is a float."""

from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from revteam.playbook.strict import Strict, reject_duplicates

Share = Decimal
COMPONENTS = ("new_business", "expansion")
KPIS = ("closed_customer_churn", "closed_net_expansion", "handoff_success_health", "accepted_lead_rate")


def _normalized(value: Decimal) -> Decimal:
    # 0.80 and 0.8 are the same plan and must give the same playbook version.
    return value.normalize()


class CreditRule(Strict):
    """Which MRR movement credits which component, to whom, and what share of it."""

    movement: Literal["new", "reactivation", "expansion"]
    component: Literal["new_business", "expansion"]
    to: Literal["closer", "account_owner", "sourcing_sdr"]
    share: Share = Field(default=Decimal(1), gt=0, le=1)

    @field_validator("share")
    @classmethod
    def _same_plan_same_version(cls, share: Decimal) -> Decimal:
        return _normalized(share)


class Kicker(Strict):
    """TCV basis: terms of at least `min_term_months` credit `extra` more (0.10 = +10 %)."""

    min_term_months: int = Field(ge=13)
    extra: Share = Field(ge=0, le=1)


class Basis(Strict):
    """First-year ACV (MRR x 12) or TCV (MRR x term months, with an optional multi-year kicker)."""

    kind: Literal["acv", "tcv"]
    kicker: Kicker | None = None

    @model_validator(mode="after")
    def _kicker_needs_tcv(self):
        if self.kicker is not None and self.kind != "tcv":
            raise ValueError("a multi-year kicker only applies to the tcv basis")
        return self


class Tier(Strict):
    """From this attainment (1.0 = quota) on, credit pays the base rate times `multiplier`."""

    attainment_from: Share = Field(ge=0)
    multiplier: Share = Field(ge=0, le=10)


class Kpi(Strict):
    """A long-term goal: scored 0..1 linearly from `floor` to `target` (target < floor: lower is better)."""

    kpi: Literal["closed_customer_churn", "closed_net_expansion", "handoff_success_health", "accepted_lead_rate"]
    weight: Share = Field(gt=0, le=1)
    floor: Decimal
    target: Decimal

    @model_validator(mode="after")
    def _floor_is_not_target(self):
        if self.floor == self.target:
            raise ValueError("floor and target must differ (the score runs from floor to target)")
        return self


class Clawback(Strict):
    """A customer the rep closed who churns within `window_days` takes the commission back."""

    window_days: int = Field(gt=0, le=1095)
    mode: Literal["full", "prorated"]
    holdback: Share = Field(default=Decimal(0), ge=0, lt=1)  # paid when the window passes


class Component(Strict):
    weight: Share = Field(ge=0, le=1)
    quota: Decimal = Field(gt=0, decimal_places=2)  # annual credit, major units


class Plan(Strict):
    """One role's plan for a calendar year of monthly statements."""

    role: Literal["ae", "sdr", "csm"]
    variable_target: Decimal = Field(gt=0, decimal_places=2)  # annual, major units
    split: dict[Literal["new_business", "expansion"], Component] = Field(min_length=1)
    credit: list[CreditRule] = Field(min_length=1)
    basis: Basis
    tiers: list[Tier] = Field(min_length=1)
    kpi_share: Share = Field(default=Decimal(0), ge=0, lt=1)  # of the variable target, paid on KPIs
    kpis: list[Kpi] = []
    clawback: Clawback | None = None

    @field_validator("tiers")
    @classmethod
    def _tiers_ascend_from_zero(cls, tiers: list[Tier]) -> list[Tier]:
        starts = [tier.attainment_from for tier in tiers]
        if starts[0] != 0 or starts != sorted(set(starts)):
            raise ValueError("tiers start at attainment_from 0 and rise strictly")
        return tiers

    @field_validator("kpis")
    @classmethod
    def _kpis_once(cls, kpis: list[Kpi]) -> list[Kpi]:
        reject_duplicates(kpis, lambda kpi: kpi.kpi, "kpi", "Plan")
        if kpis and sum(kpi.weight for kpi in kpis) != 1:
            raise ValueError("KPI weights must add up to 1")
        return kpis

    @model_validator(mode="after")
    def _consistent(self):
        if sum(component.weight for component in self.split.values()) + self.kpi_share != 1:
            raise ValueError("split weights plus kpi_share must add up to 1")
        missing = sorted({rule.component for rule in self.credit} - set(self.split))
        if missing:
            raise ValueError(f"credit rules name components not in the split: {', '.join(missing)}")
        if self.kpi_share and not self.kpis:
            raise ValueError("kpi_share needs at least one KPI")
        return self

    def component_rate(self, component: str) -> Decimal:
        """Base commission rate of a component: its share of the variable target over its quota."""
        part = self.split[component]
        return self.variable_target * part.weight / part.quota


class Comp(Strict):
    """The compensation plans, one per role."""

    plans: list[Plan] = Field(min_length=1)
    dispute_sla_days: int = Field(default=10, gt=0, le=365)  # a manager answers a disputed line within this

    @field_validator("plans")
    @classmethod
    def _one_per_role(cls, plans: list[Plan]) -> list[Plan]:
        reject_duplicates(plans, lambda plan: plan.role, "role", "Comp")
        return plans

    def plan_for(self, role: str) -> Plan | None:
        """The plan of a comp role (ae, sdr, csm), or None."""
        return next((plan for plan in self.plans if plan.role == role), None)
