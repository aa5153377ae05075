"""POST /api/playbook/simulate answers the simulation (managers and admins only) and writes nothing;
POST /api/playbook/activate activates the draft with the simulation's headline in its event."""

from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.events.models import Event
from tests.simulation.conftest import NO_MIN_FIT, playbook_text

WINDOW = {"from": "2026-03-01", "to": "2026-03-31"}


def _events(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Event))


def test_a_manager_simulates_and_an_admin_activates_with_the_headline(client, engine, as_root, add_lead):
    add_lead("US", 1)
    add_lead("US", 5)
    draft = playbook_text(NO_MIN_FIT, ("mql_threshold: 60", "mql_threshold: 95"))
    before = _events(engine)
    answer = client.post("/api/playbook/simulate", json={"playbook": draft, **WINDOW}, headers=as_root)
    assert answer.status_code == 200, answer.text
    assert answer.json()["leads"] == 2 and _events(engine) == before
    activated = client.post("/api/playbook/activate", json={"playbook": draft, **WINDOW}, headers=as_root)
    assert activated.status_code == 201, activated.text
    with session_scope(engine) as session:
        event = session.scalars(select(Event).where(Event.type == "playbook.activated").order_by(Event.id.desc())).first()
        assert event.data["simulation"] == activated.json()["simulation"]
    assert event.data["simulation"]["mql_lost"] == len(answer.json()["mql"]["lost"]) > 0


def test_a_rep_may_not_simulate_and_a_bad_draft_names_its_line(client, bearer, alice, as_root, roster):
    refused = client.post("/api/playbook/simulate", json={"playbook": playbook_text(), **WINDOW},
                          headers=bearer(alice.email))
    assert refused.status_code == 403
    bad = client.post("/api/playbook/simulate", json={"playbook": playbook_text(("mql_threshold: 60", "mql_threshold: lots")),
                                                      **WINDOW}, headers=as_root)
    assert bad.status_code in (400, 422) and "mql_threshold" in bad.text
