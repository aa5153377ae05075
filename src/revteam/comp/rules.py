"""The comp rules as pure functions: credit of a movement, tiered commission, KPI score, clawback.

Money is Decimal in major units, rounded to the cent (half up) once per line; minor units from
the ledger are divided by 100 exactly. Attainment is year-to-date credit over the annual quota.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from revteam.playbook.comp_schema import Clawback, Kpi, Plan

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """A line amount: rounded half up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def major(minor: int) -> Decimal:
    return Decimal(minor) / 100


@dataclass(frozen=True)
class Credit:
    """One movement credited to the rep under one credit rule."""

    source: str  # the movement: "movement:<account>:<day>:<kind>"
    account_id: int
    day: date
    kind: str
    mrr_minor: int  # the movement's MRR amount (positive)
    term_months: int
    component: str
    share: Decimal
    rule: str  # which credit rule, e.g. "new -> closer"


@dataclass(frozen=True)
class Line:
    amount: Decimal
    rule: str
    source: str
    explanation: str

    def as_dict(self) -> dict:
        return {"amount": str(self.amount), "rule": self.rule, "source": self.source, "explanation": self.explanation}


def credit_value(plan: Plan, credit: Credit) -> tuple[Decimal, str]:
    """The credit a movement earns under the plan's basis, and the formula with its numbers."""
    mrr = major(credit.mrr_minor)
    share = f" x share {credit.share}" if credit.share != 1 else ""
    if plan.basis.kind == "acv":
        return mrr * 12 * credit.share, f"ACV = MRR {mrr:.2f} x 12{share}"
    value = mrr * credit.term_months * credit.share
    formula = f"TCV = MRR {mrr:.2f} x {credit.term_months} months{share}"
    kicker = plan.basis.kicker
    if kicker and credit.term_months >= kicker.min_term_months:
        value *= 1 + kicker.extra
        formula += f" x (1 + multi-year kicker {kicker.extra})"
    return value, formula


def tiered_commission(plan: Plan, component: str, attained: Decimal, credit: Decimal) -> list[tuple[Decimal, str]]:
    """Commission on `credit` earned after `attained` credit this year, cut at every tier it crosses:
    (unrounded amount, formula) per tier touched."""
    quota = plan.split[component].quota
    rate = plan.component_rate(component)
    parts, position, left = [], attained, credit
    bounds = [tier.attainment_from * quota for tier in plan.tiers[1:]] + [None]
    for tier, upper in zip(plan.tiers, bounds, strict=True):
        if left <= 0:
            break
        if upper is not None and position >= upper:
            continue
        piece = left if upper is None else min(left, upper - position)
        kind = "decelerator" if tier.multiplier < 1 else "accelerator" if tier.multiplier > 1 else "base"
        parts.append((piece * rate * tier.multiplier,
                      f"{piece:.2f} credit x base rate {rate:.6f} x {tier.multiplier} ({kind} tier from "
                      f"{tier.attainment_from:.0%} of quota {quota:.2f})"))
        position, left = position + piece, left - piece
    return parts


def kpi_score(kpi: Kpi, actual: Decimal | None) -> Decimal:
    """0..1, linear from the KPI's floor (0) to its target (1); an unmeasurable KPI scores 0."""
    if actual is None:
        return Decimal(0)
    score = (actual - kpi.floor) / (kpi.target - kpi.floor)
    return min(Decimal(1), max(Decimal(0), score))


def kpi_bonus(plan: Plan, kpi: Kpi, score: Decimal) -> tuple[Decimal, str]:
    """The month's pay on one KPI: variable target x kpi share / 12 x weight x score."""
    amount = plan.variable_target * plan.kpi_share / 12 * kpi.weight * score
    return amount, (f"{plan.variable_target:.2f} x KPI share {plan.kpi_share} / 12 x weight {kpi.weight} "
                    f"x score {score:.4f}")


def clawback_factor(clawback: Clawback, days_after_close: int) -> Decimal | None:
    """Share of the paid commission taken back for a churn this many days after the close; None outside the window."""
    if days_after_close > clawback.window_days:
        return None
    if clawback.mode == "full":
        return Decimal(1)
    return Decimal(clawback.window_days - days_after_close) / clawback.window_days
