"""The comp rules on hand-computed examples (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from revteam.comp.rules import Credit, cents, clawback_factor, credit_value, kpi_score, tiered_commission
from revteam.playbook.comp_schema import Clawback, Kpi, Plan

D = Decimal


def plan(**changes) -> Plan:
    fields = {"role": "ae", "variable_target": "100000.00",
              "split": {"new_business": {"weight": "0.8", "quota": "400000.00"},
                        "expansion": {"weight": "0.2", "quota": "100000.00"}},
              "credit": [{"movement": "new", "component": "new_business", "to": "closer"}],
              "basis": {"kind": "acv"},
              "tiers": [{"attainment_from": 0, "multiplier": "0.5"}, {"attainment_from": "0.5", "multiplier": 1},
                        {"attainment_from": 1, "multiplier": "1.5"}]} | changes
    return Plan.model_validate(fields)


def credit(mrr_minor: int, term: int = 12) -> Credit:
    return Credit("movement:1:2026-01-10:new", 1, date(2026, 1, 10), "new", mrr_minor, term, "new_business",
                  D(1), "new -> closer")


def test_split_gives_each_component_its_share_of_the_target_over_its_quota():
    # 80/20: new business 100000 x 0.8 / 400000 = 0.2; expansion 100000 x 0.2 / 100000 = 0.2
    assert plan().component_rate("new_business") == D("0.2")
    fifty = plan(split={"new_business": {"weight": "0.5", "quota": "400000.00"},
                        "expansion": {"weight": "0.5", "quota": "100000.00"}})
    assert (fifty.component_rate("new_business"), fifty.component_rate("expansion")) == (D("0.125"), D("0.5"))


def test_acv_basis_is_mrr_times_twelve():
    value, formula = credit_value(plan(), credit(100_000, term=36))
    assert value == D(12000) and formula == "ACV = MRR 1000.00 x 12"


def test_tcv_basis_with_multi_year_kicker():
    tcv = plan(basis={"kind": "tcv", "kicker": {"min_term_months": 24, "extra": "0.10"}})
    assert credit_value(tcv, credit(100_000, term=36))[0] == D("39600")  # 1000 x 36 x 1.10
    assert credit_value(tcv, credit(100_000, term=12))[0] == D("12000")  # no kicker under 24 months


def test_decelerator_below_the_floor():
    [(amount, formula)] = tiered_commission(plan(), "new_business", D(0), D(100000))
    assert cents(amount) == D("10000.00")  # 100000 x 0.2 x 0.5
    assert "decelerator" in formula


def test_credit_crossing_quota_is_cut_at_each_tier():
    # attained 150000 of 400000; credit 300000: 50000 at x0.5, 200000 at x1, 50000 at x1.5
    parts = tiered_commission(plan(), "new_business", D(150000), D(300000))
    assert [cents(a) for a, _ in parts] == [D("5000.00"), D("40000.00"), D("15000.00")]
    assert "accelerator" in parts[-1][1]


def test_kpi_score_runs_from_floor_to_target_either_way():
    churn = Kpi(kpi="closed_customer_churn", weight=1, floor=D("0.20"), target=D("0.05"))
    assert kpi_score(churn, D("0.10")) == D("0.10") / D("0.15")
    assert (kpi_score(churn, D("0.30")), kpi_score(churn, D("0.01")), kpi_score(churn, None)) == (0, 1, 0)
    expansion = Kpi(kpi="closed_net_expansion", weight=1, floor=D(0), target=D("0.10"))
    assert kpi_score(expansion, D("0.05")) == D("0.5")


@pytest.mark.parametrize(("mode", "days", "factor"), [
    ("full", 30, D(1)), ("prorated", 30, D(60) / 90), ("full", 91, None), ("prorated", 91, None)])
def test_clawback_inside_and_outside_the_window(mode, days, factor):
    assert clawback_factor(Clawback(window_days=90, mode=mode), days) == factor
