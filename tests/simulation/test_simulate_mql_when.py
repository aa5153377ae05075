"""A draft's `mql_when` on the prediction, simulated on the window's leads with their stored predictions."""

import json

from tests.flow.test_flow_predicted_routing import predicted_by_a_model
from tests.simulation.conftest import MARCH, WINDOW

BAR = ("mql_min_fit: null", "mql_min_fit: null\nmql_when:\n  - {field: lead.predicted, op: gte, value: 0.5}")


def test_a_predicted_bar_in_the_draft_loses_the_unlikely_and_unpredicted_leads(cli, db_url, add_lead, draft_file,
                                                                               engine):
    likely, unlikely, unpredicted = add_lead("US"), add_lead("US"), add_lead("US")
    predicted_by_a_model(engine, MARCH, {likely: 0.7, unlikely: 0.2})
    done = cli("playbook", "simulate", draft_file(BAR), *WINDOW, "--json", "--db", db_url)
    assert done.code == 0, done.err
    mql = json.loads(done.out)["mql"]
    assert mql["active"] == 3 and sorted(mql["lost"]) == sorted([unlikely, unpredicted]) and mql["gained"] == []
    assert all(change["why"] == ["mql_when: [] -> ['lead.predicted gte 0.5']"] for change in mql["changes"])
