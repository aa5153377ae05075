"""Fidelity: the active playbook replayed on the small demo's last two months sends the recorded
routings' leads to the team they went to (95 % and more), and each exception is explained by its
category (roster change, rep away, other) and reason."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from revteam.db.read_only import read_only_scope
from revteam.db.session import session_scope
from revteam.playbook.versions import active, version_text
from revteam.simulation.service import simulate
from revteam.users.models import User
from revteam.users.schemas import UserIn
from revteam.users.service import add_user
from tests.simulation.conftest import WINDOW, record_routing
from tests.small_demo import small_demo

AS_OF = date(2026, 11, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return small_demo(tmp_path_factory.mktemp("fidelity"), AS_OF)


def test_the_active_playbook_agrees_with_the_recorded_routings(demo):
    end = datetime.combine(AS_OF, datetime.min.time(), UTC)
    with read_only_scope(demo) as session:
        result = simulate(session, draft_text=version_text(session, active(session).version_id)[1],
                          start=end - timedelta(days=60), end=end)
    fidelity = result["fidelity"]
    print("fidelity on the small demo:", {key: value for key, value in fidelity.items() if key != "disagreements"})
    assert fidelity["routed"] > 100
    assert fidelity["agreement"] >= 0.95
    assert set(fidelity["explained"]) == {"roster change", "rep away", "other"}
    assert fidelity["same_team"] + sum(fidelity["explained"].values()) == fidelity["routed"]
    assert sum(fidelity["reasons"].values()) == len(fidelity["disagreements"]) == fidelity["routed"] - fidelity["same_team"]
    assert all(row["recorded"]["team"] != (row["replay"] or {}).get("team") for row in fidelity["disagreements"])
    assert result["routing"]["changed"] == [] and result["mql"]["gained"] == result["mql"]["lost"] == []


def test_each_disagreement_is_explained_by_its_category(cli, db_url, engine, add_lead, draft_file):
    with session_scope(engine) as session:
        add_user(session, UserIn(password="correct-horse", email="dan@acme.io", name="Dan Sdr", role="sales",
                                 sales_role="sdr", team="emea-sdr", territory="EMEA", capacity=50), actor="test")
    agreeing, away_then, away_now, moved = (add_lead(country) for country in ("US", "US", "AU", "US"))
    record_routing(engine, agreeing, "carl@acme.io", "na_territory")
    record_routing(engine, away_then, "pat@acme.io", "apac_territory", skipped=("unavailable",))
    record_routing(engine, away_now, "pat@acme.io", "apac_territory")
    record_routing(engine, moved, "dan@acme.io", "na_territory")  # dan was in na-sdr then
    record_routing(engine, unqualified := add_lead("US", forms=0), "alice@acme.io", "na_territory")
    with session_scope(engine) as session:
        session.execute(update(User).where(User.email == "pat@acme.io").values(available=False))
    done = cli("playbook", "simulate", draft_file(), *WINDOW, "--json", "--db", db_url)
    assert done.code == 0, done.err
    fidelity = json.loads(done.out)["fidelity"]
    assert (fidelity["routed"], fidelity["same_team"]) == (5, 1)
    assert fidelity["explained"] == {"roster change": 1, "rep away": 2, "other": 1}
    reasons = {row["lead_id"]: (row["category"], row["reason"]) for row in fidelity["disagreements"]}
    assert reasons == {
        away_then: ("rep away", "a rep the rule named was away at the time"),
        away_now: ("rep away", "a rep the rule names is away now"),
        moved: ("roster change", "same rule, another team: the recorded rep has moved teams"),
        unqualified: ("other", "not an MQL in the replay (routed by hand, or scored differently then)")}
    text = cli("playbook", "simulate", draft_file(), *WINDOW, "--db", db_url).out
    assert "20.0% agree: the active playbook sends 1 of 5" in text
    assert "not the same: roster change 1, rep away 2, other 1" in text
    assert f"lead {moved}: recorded emea-sdr (na_territory), replay na-sdr: roster change" in text
