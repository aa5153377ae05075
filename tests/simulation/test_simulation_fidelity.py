"""Fidelity on the small demo: the active playbook replayed on the last two months sends the recorded
routings' leads to the team they went to, and every exception is explained."""

from datetime import UTC, date, datetime, timedelta

import pytest

from revteam.db.read_only import read_only_scope
from revteam.playbook.versions import active, version_text
from revteam.simulation.service import simulate
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
