"""`revteam playbook simulate`: what a draft would have done to March's leads, beside the active playbook."""

import json

from revteam.leads.scoring.rules import fit_score
from revteam.playbook.loader import default_playbook_path, load_playbook_text
from tests.simulation.conftest import WINDOW


def _simulate(cli, db_url, draft, *extra):
    done = cli("playbook", "simulate", draft, *WINDOW, "--json", "--db", db_url, *extra)
    assert done.code == 0, done.err
    return json.loads(done.out)


def _fit(country: str) -> int:
    playbook = load_playbook_text(default_playbook_path().read_text(encoding="utf-8"), source="default")
    return fit_score(playbook, {"lead.country": country}).total


def test_a_higher_threshold_loses_exactly_the_leads_between_the_two(cli, db_url, add_lead, draft_file):
    fit = _fit("US")
    ids = {forms: add_lead("US", forms) for forms in range(9)}
    totals = {lead_id: fit + 15 * forms for forms, lead_id in ids.items()}
    result = _simulate(cli, db_url, draft_file(("mql_threshold: 60", "mql_threshold: 80")))
    assert sorted(result["mql"]["lost"]) == sorted(i for i, total in totals.items() if 60 <= total < 80)
    assert result["mql"]["lost"] and result["mql"]["gained"] == []
    assert result["mql"]["draft"] == result["mql"]["active"] - len(result["mql"]["lost"])
    change = result["mql"]["changes"][0]
    assert "mql_threshold: 60 -> 80" in change["why"] and 60 <= change["active"]["total"] < 80


def test_moving_a_territory_sends_exactly_those_leads_to_the_other_team(cli, db_url, add_lead, draft_file):
    mexican = {add_lead("MX") for _ in range(3)}
    for _ in range(4):
        add_lead("US")
    draft = draft_file(('value: ["AU", "NZ", "SG", "JP", "IN", "HK", "KR"]',
                        'value: ["AU", "NZ", "SG", "JP", "IN", "HK", "KR", "MX"]'))
    changed = _simulate(cli, db_url, draft)["routing"]["changed"]
    moved = [row for row in changed if row["active"]["team"] != row["draft"]["team"]]
    assert {row["lead_id"] for row in moved} == mexican
    assert all(row["active"]["team"] == "na-sdr" and row["draft"] == {"team": "apac-sdr", "rep": "pat@acme.io",
                                                                      "rule": "apac_territory"} for row in moved)
    # The rest change rep only: na-sdr's rotation no longer spends turns on Mexico.
    assert {row["draft"]["team"] for row in changed if row not in moved} <= {"na-sdr"}


def test_a_heavier_round_robin_weight_gives_that_rep_more_leads(cli, db_url, add_lead, draft_file):
    for _ in range(12):
        add_lead("US")
    by_rep = {row["rep"]: row for row in _simulate(cli, db_url, draft_file(), "--weight", "carl@acme.io=3")
              ["routing"]["by_rep"]}
    assert by_rep["carl@acme.io"]["active"] == by_rep["alice@acme.io"]["active"] == 6
    assert by_rep["carl@acme.io"]["draft"] == 9 and by_rep["alice@acme.io"]["draft"] == 3


def test_the_active_playbook_against_itself_changes_nothing(cli, db_url, add_lead, tmp_path):
    for country in ("US", "MX", "DE", "AU", "US", "CA"):
        add_lead(country)
    shown = cli("playbook", "show", "--db", db_url)
    assert shown.code == 0 and "mql_min_fit: null" in shown.out
    (tmp_path / "same.yaml").write_text(shown.out, encoding="utf-8")
    result = _simulate(cli, db_url, str(tmp_path / "same.yaml"))
    assert result["leads"] == 6 and result["mql"]["active"] == result["mql"]["draft"] > 0
    assert result["mql"]["gained"] == result["mql"]["lost"] == result["routing"]["changed"] == []
    assert all(row["active"] == row["draft"] for row in result["routing"]["by_rep"] + result["tracks"])
    assert all(row["active"] == row["draft"] for row in result["sla_load"])


def test_a_bad_window_or_weight_is_refused_with_its_option(cli, db_url, roster, draft_file):
    draft = draft_file()
    assert cli("playbook", "simulate", draft, "--since", "forever", "--db", db_url).code == 2
    both = cli("playbook", "simulate", draft, "--since", "30d", *WINDOW, "--db", db_url)
    assert both.code == 2 and "--since" in both.err
    stranger = cli("playbook", "simulate", draft, "--weight", "nobody@acme.io=2", "--db", db_url)
    assert stranger.code == 2 and "nobody@acme.io" in stranger.err
