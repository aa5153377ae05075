"""Statements from the real ledger under the default plans, on hand-computed numbers.

Default AE plan: new business rate 60000 x 0.70 / 480000 = 0.0875; below 50 % of quota the
decelerator pays x0.5; 10 % held back for the 180-day prorated clawback window."""

import json
from datetime import date
from decimal import Decimal

from revteam.comp import service
from revteam.db.session import session_scope
from revteam.revenue.health import record_health
from tests.comp.scenario import change, win


def _statement(engine, rep, period):
    with session_scope(engine) as session:
        return service.statement(session, rep_email=rep.email, period=period)


def _lines(view, rule):
    return [line for line in view["lines"] if line["rule"] == rule]


def test_new_business_pays_the_closer_decelerated_with_holdback(engine, bob, make_lead, cli, db_url):
    account, _ = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    result = cli("comp", "statement", "--rep", bob.email, "--period", "2026-01", "--json", "--db", db_url)
    assert result.code == 0, result.err
    view = json.loads(result.out)
    [line] = _lines(view, "commission.new_business")
    # ACV 1000 x 12 = 12000; 12000 x 0.0875 x 0.5 = 525.00; 10 % held back: 472.50
    assert line["amount"] == "472.50" and line["source"] == f"movement:{account}:2026-01-10:new"
    assert "ACV = MRR 1000.00 x 12" in line["explanation"] and "decelerator" in line["explanation"]
    assert view["total"] == str(sum(Decimal(line["amount"]) for line in view["lines"]))
    assert (view["rep"], view["period"], view["status"]) == (bob.email, "2026-01", "open")


def test_expansion_credits_the_account_owner_not_the_closer(engine, bob, sam, make_lead):
    _, subscription = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10), account_owner=sam.email)
    change(engine, subscription, mrr_minor=150_000, day=date(2026, 2, 1))
    [line] = _lines(_statement(engine, sam, "2026-02"), "commission.expansion")
    # CSM: 500 x 12 = 6000 credit x (20000 x 0.80 / 150000) x 1 = 640.00
    assert line["amount"] == "640.00"
    assert _lines(_statement(engine, bob, "2026-02"), "commission.expansion") == []


def test_prorated_clawback_inside_the_window_names_the_churn(engine, bob, make_lead):
    account, subscription = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    change(engine, subscription, mrr_minor=0, day=date(2026, 3, 11))
    [line] = _lines(_statement(engine, bob, "2026-03"), "clawback")
    # 60 days after the close: 472.50 paid x (180 - 60) / 180 = 315.00 back
    assert line["amount"] == "-315.00" and line["source"] == f"movement:{account}:2026-03-11:churn"
    assert _lines(_statement(engine, bob, "2026-07"), "holdback.release") == []


def test_full_clawback(engine, bob, make_lead, use_playbook):
    use_playbook("mode: prorated, holdback: 0.10", "mode: full, holdback: 0.10")
    _, subscription = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    change(engine, subscription, mrr_minor=0, day=date(2026, 3, 11))
    assert [line["amount"] for line in _lines(_statement(engine, bob, "2026-03"), "clawback")] == ["-472.50"]


def test_churn_outside_the_window_claws_nothing_and_the_holdback_is_paid(engine, bob, make_lead):
    _, subscription = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    change(engine, subscription, mrr_minor=0, day=date(2026, 8, 1))
    [release] = _lines(_statement(engine, bob, "2026-07"), "holdback.release")
    assert release["amount"] == "52.50" and "2026-07-09" in release["explanation"]  # 525.00 x 10 %
    assert _lines(_statement(engine, bob, "2026-08"), "clawback") == []


def test_tcv_basis_reads_the_term_from_the_ledger_and_pays_the_multi_year_kicker(engine, bob, make_lead,
                                                                                use_playbook):
    use_playbook("basis: {kind: acv}", "basis: {kind: tcv, kicker: {min_term_months: 24, extra: 0.10}}")
    win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10), term=36)
    [line] = _lines(_statement(engine, bob, "2026-01"), "commission.new_business")
    # TCV 1000 x 36 x 1.10 = 39600 credit; x 0.0875 x 0.5 (decelerator) = 1732.50; 10 % held back: 1559.25
    assert line["amount"] == "1559.25" and "MRR 1000.00 x 36 months x (1 + multi-year kicker" in line["explanation"]


def test_accelerator_after_crossing_quota(engine, bob, make_lead):
    win(engine, make_lead, bob, mrr_minor=4_000_000, start=date(2026, 1, 5))  # ACV 480000 = the quota
    win(engine, make_lead, bob, mrr_minor=1_000_000, start=date(2026, 2, 5))  # ACV 120000 above it
    [line] = _lines(_statement(engine, bob, "2026-02"), "commission.new_business")
    # 120000 x 0.0875 x 1.5 = 15750 less 10 % held back = 14175.00
    assert line["amount"] == "14175.00" and "accelerator" in line["explanation"]


def test_closed_customer_churn_kpi(engine, bob, make_lead, use_playbook):
    use_playbook("{kpi: closed_customer_churn, weight: 0.6, floor: 0.20,",
                 "{kpi: closed_customer_churn, weight: 0.6, floor: 0.60,")
    win(engine, make_lead, bob, mrr_minor=100_000, start=date(2025, 1, 10), term=1)
    _, lost = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2025, 1, 10), term=1)
    change(engine, lost, mrr_minor=0, day=date(2025, 12, 15), term=1)
    [line] = _lines(_statement(engine, bob, "2026-01"), "kpi.closed_customer_churn")
    # 1 of 2 lost = 0.5; score (0.5 - 0.6) / (0.05 - 0.6) = 0.1818..; 60000 x 0.15 / 12 x 0.6 x score = 81.82
    assert line["amount"] == "81.82" and "0.5000" in line["explanation"]


def test_closed_net_expansion_kpi(engine, bob, make_lead):
    _, subscription = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2025, 1, 10), term=1)
    change(engine, subscription, mrr_minor=105_000, day=date(2025, 6, 1), term=1)
    [line] = _lines(_statement(engine, bob, "2026-01"), "kpi.closed_net_expansion")
    # NRR 1050 / 1000 = 1.05: net expansion 0.05, score 0.5; 60000 x 0.15 / 12 x 0.4 x 0.5 = 150.00
    assert line["amount"] == "150.00"


def test_handoff_success_health_kpi(engine, bob, sam, make_lead):
    account, _ = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10), account_owner=sam.email)
    with session_scope(engine) as session:
        record_health(session, account_id=account, success_signals={"active_seat_share": 1,
                      "key_feature_adoption": 1, "outcome_achieved": True}, happiness={}, actor=sam.email)
    [line] = _lines(_statement(engine, sam, date.today().strftime("%Y-%m")), "kpi.handoff_success_health")
    # 1 of 1 successful: score 1; 20000 x 0.20 / 12 x 1 x 1 = 333.33
    assert line["amount"] == "333.33"


def test_handoff_success_health_kpi_of_the_ae_who_handed_the_customer_off(engine, bob, sam, make_lead, use_playbook):
    use_playbook("        - {kpi: closed_customer_churn, weight: 0.6, floor: 0.20, target: 0.05}\n"
                 "        - {kpi: closed_net_expansion, weight: 0.4, floor: 0, target: 0.10}\n",
                 "        - {kpi: handoff_success_health, weight: 1, floor: 0.40, target: 0.80}\n")
    kept, _ = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10), account_owner=sam.email)
    struggling, _ = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 12), account_owner=sam.email)
    with session_scope(engine) as session:
        record_health(session, account_id=kept, success_signals={"active_seat_share": 1,
                      "key_feature_adoption": 1, "outcome_achieved": True}, happiness={}, actor=sam.email)
        record_health(session, account_id=struggling, success_signals={"active_seat_share": 0,
                      "key_feature_adoption": 0, "outcome_achieved": False}, happiness={}, actor=sam.email)
    [line] = _lines(_statement(engine, bob, date.today().strftime("%Y-%m")), "kpi.handoff_success_health")
    # 1 of 2 handed-off customers successful = 0.5; score (0.5 - 0.4) / 0.4 = 0.25; 60000 x 0.15 / 12 x 1 x 0.25
    assert line["amount"] == "187.50" and "1 of 2 customers successful" in line["explanation"]
