"""The what-if: a draft plan replayed over the stored ledger beside the stored statements."""

import json
from datetime import date

from revteam.comp import service
from revteam.comp.simulation import default_range, simulate
from revteam.db.session import session_scope
from tests.comp.scenario import change, win


def test_simulation_active_column_equals_the_stored_statements(engine, bob, make_lead, cli, db_url,
                                                              shipped_playbook, tmp_path):
    win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    win(engine, make_lead, bob, mrr_minor=200_000, start=date(2026, 2, 3))
    with session_scope(engine) as session:
        for month in ("2026-01", "2026-02"):
            service.close_period(session, period=month, actor="dana@acme.io")
        stored = [service.statement(session, rep_email=bob.email, period=m)["total"] for m in ("2026-01", "2026-02")]
    draft = tmp_path / "draft.yaml"
    draft.write_text(shipped_playbook.read_text().replace("- {attainment_from: 0, multiplier: 0.5}",
                                                          "- {attainment_from: 0, multiplier: 1}", 1))
    result = cli("comp", "simulate", "--plan", draft, "--from", "2026-01", "--to", "2026-02", "--json", "--db", db_url)
    assert result.code == 0, result.err
    [row] = [r for r in json.loads(result.out)["reps"] if r["rep"] == bob.email]
    # stored: 472.50 + 945.00; the draft has no decelerator, so it pays double: 2835.00
    assert stored == ["472.50", "945.00"] and row["active"] == "1417.50"
    assert (row["draft"], row["difference"]) == ("2835.00", "1417.50")
    assert json.loads(result.out)["gains_most"] == bob.email


def test_simulation_refuses_an_invalid_draft_with_its_line(cli, db_url, shipped_playbook, tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text(shipped_playbook.read_text().replace("mode: prorated", "mode: sometimes"))
    result = cli("comp", "simulate", "--plan", draft, "--from", "2026-01", "--to", "2026-02", "--db", db_url)
    assert result.code == 2 and "draft.yaml" in result.err and "mode" in result.err


def test_a_drafts_clawback_takes_back_what_the_draft_paid_not_the_stored_line(engine, bob, make_lead,
                                                                              shipped_playbook):
    _, subscription = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    change(engine, subscription, mrr_minor=0, day=date(2026, 3, 11))
    draft = shipped_playbook.read_text().replace("- {attainment_from: 0, multiplier: 0.5}",
                                                 "- {attainment_from: 0, multiplier: 1}", 1)
    with session_scope(engine) as session:
        for month in ("2026-01", "2026-02", "2026-03"):
            service.close_period(session, period=month, actor="dana@acme.io")
        result = simulate(session, draft_text=draft, source="draft", first="2026-01", last="2026-03")
    [row] = [r for r in result["reps"] if r["rep"] == bob.email]
    # active: 472.50 paid, 472.50 x 120/180 = 315.00 back; draft: 945.00 paid, 945.00 x 120/180 = 630.00 back
    assert (row["active"], row["draft"]) == ("157.50", "315.00")


def test_without_a_range_the_what_if_replays_the_twelve_months_before_this_one():
    assert default_range(date(2026, 6, 15)) == ("2025-06", "2026-05")
    assert default_range(date(2026, 1, 1)) == ("2025-01", "2025-12")


def test_simulation_of_a_missing_file_names_it(cli, db_url, tmp_path):
    result = cli("comp", "simulate", "--plan", tmp_path / "nothere.yaml", "--db", db_url)
    assert result.code == 2 and "nothere.yaml" in result.err and "cannot read playbook" in result.err
