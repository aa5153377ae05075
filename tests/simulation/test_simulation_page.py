"""The playbook page's draft form in-process: an uploaded file is simulated beside its diff, with how the
active playbook's replay agrees with the recorded routings; no draft, or a rep asking, is refused with a
clear page, never a 500."""

import pytest
from fastapi.testclient import TestClient

from revteam.api.app import create_app
from tests.simulation.conftest import NO_MIN_FIT, playbook_text, record_routing
from tests.web.conftest import csrf_of, sign_in_form


@pytest.fixture
def browser_client(db_url):
    with TestClient(create_app(db_url)) as client:
        yield client


def _signed_in(client, user) -> str:
    assert sign_in_form(client, user.email).status_code == 303
    return csrf_of(client.get("/playbook").text)


def test_an_uploaded_draft_is_simulated_beside_its_diff(browser_client, engine, admin, add_lead):
    record_routing(engine, add_lead("US", 5), "carl@acme.io", "na_territory")
    away = add_lead("US", 5)
    record_routing(engine, away, "pat@acme.io", "apac_territory", skipped=("unavailable",))
    token = _signed_in(browser_client, admin)
    draft = playbook_text(NO_MIN_FIT, ("mql_threshold: 60", "mql_threshold: 95")).encode()
    shown = browser_client.post("/playbook/simulate", data={"csrf_token": token, "since": "366d"},
                                files={"upload": ("draft.yaml", draft, "application/x-yaml")})
    assert shown.status_code == 200, shown.text
    assert "changed mql_threshold: 60 -&gt; 95" in shown.text and "Activate this draft" in shown.text
    assert "sends 1 of 2 recorded routings to the team they went to (50.0 %)" in shown.text
    assert "<td>rep away</td><td class=\"num\">1</td>" in shown.text
    assert f'{away}</a></td><td>apac-sdr (apac_territory)</td><td>na-sdr</td><td>rep away: a rep the rule named was away' \
        in shown.text


def test_no_draft_or_a_rep_is_refused(browser_client, admin, alice, roster):
    token = _signed_in(browser_client, admin)
    empty = browser_client.post("/playbook/simulate", data={"csrf_token": token, "draft": " "})
    assert empty.status_code == 400 and "paste a draft playbook" in empty.text
    browser_client.cookies.clear()
    token = _signed_in(browser_client, alice)
    refused = browser_client.post("/playbook/simulate", data={"csrf_token": token, "draft": playbook_text()})
    assert refused.status_code == 403
