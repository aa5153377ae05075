"""The what-if: a draft plan replayed over the stored ledger beside the stored statements."""

import json
from datetime import date

from revteam.comp import service
from revteam.db.session import session_scope
from tests.comp.scenario import win


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
