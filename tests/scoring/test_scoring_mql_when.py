"""`mql_when`: the MQL rule may ask for a predictive score, decided at capture from the current model."""

import json

import pytest
from sqlalchemy import select

from revteam.accounts.models import Person
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.leads.models import Lead
from revteam.leads.scoring.predictive.models import LeadPrediction
from revteam.playbook.diff import diff_playbooks, format_changes
from revteam.playbook.loader import load_playbook_text
from tests.playbook.test_playbook_loader import DEFAULT_TEXT, edited, problems_of

NOW = "2026-12-01T00:00:00Z"
WHEN = "mql_when:\n  - {field: lead.predicted, op: gte, value: 0.3}"
ARRIVALS = """first_name,last_name,email,company,title,source,employees
Pia,Partner,pia@likely.com,Likely,Manager,Partner,300
Lou,List,lou@unlikely.com,Unlikely,Manager,Purchased List,20
"""


def _lead(session, email: str) -> Lead:
    return session.scalars(select(Lead).join(Person, Person.id == Lead.person_id).where(Person.email == email)).one()


def _captured_under_the_bar(import_history, scoring, use_playbook, import_text, engine) -> dict[str, Lead]:
    import_history(400)
    report = json.loads(scoring("train", "--json", "--now", NOW).out)
    # Every lead passes the threshold and the fit: only the predicted bar decides.
    use_playbook("mql_threshold: 60", "mql_threshold: 0", ("mql_min_fit: 20", f"mql_min_fit: null\n{WHEN}"))
    import_text(ARRIVALS)
    with session_scope(engine) as session:
        leads = {email: _lead(session, email) for email in ("pia@likely.com", "lou@unlikely.com")}
        session.expunge_all()
    return {"model": report["model"], **leads}


def test_a_lead_below_the_predicted_bar_is_not_an_mql_and_one_above_is(import_history, scoring, use_playbook,
                                                                       import_text, engine):
    leads = _captured_under_the_bar(import_history, scoring, use_playbook, import_text, engine)
    pia, lou = leads["pia@likely.com"], leads["lou@unlikely.com"]
    with session_scope(engine) as session:
        chance = dict(session.execute(select(LeadPrediction.lead_id, LeadPrediction.probability)
                                      .where(LeadPrediction.model_id == leads["model"])).all())
    assert chance[pia.id] >= 0.3 > chance[lou.id]
    assert (pia.is_mql, pia.state) == (True, "mql")
    assert (lou.is_mql, lou.state) == (False, "cultivating")
    assert pia.score >= 0 and lou.score >= 0  # both past the threshold: the prediction kept Lou out


def test_the_capture_prediction_is_the_one_the_model_explains(import_history, scoring, use_playbook, import_text,
                                                                engine):
    leads = _captured_under_the_bar(import_history, scoring, use_playbook, import_text, engine)
    for email in ("pia@likely.com", "lou@unlikely.com"):
        lead_id = leads[email].id
        explained = json.loads(scoring("explain", str(lead_id), "--json").out)
        with session_scope(engine) as session:
            stored = session.scalar(select(LeadPrediction.probability).where(LeadPrediction.lead_id == lead_id))
            events = session.scalars(select(Event.data).where(Event.type == "lead.predicted",
                                                              Event.subject_id == lead_id)).all()
        assert explained["probability"] == pytest.approx(stored, abs=1e-12)
        assert events == [{"model": leads["model"], "probability": round(stored, 4)}]


def test_mql_conditions_are_validated_as_conditions_and_shown_by_the_diff():
    [(_, key, message)] = problems_of(edited("mql_min_fit: 20", "mql_when:\n  - {field: lead.predictd, op: gte, value: 0.3}"))
    assert key == "mql_when[0].field" and "did you mean 'lead.predicted'" in message
    [(_, _, message)] = problems_of(edited("mql_min_fit: 20", "mql_when:\n  - {field: lead.score, op: gte, value: 3}"))
    assert "cannot read lead.score" in message
    [(_, _, message)] = problems_of(edited("mql_min_fit: 20", "mql_when:\n  - {field: lead.predicted, op: between, value: 1}"))
    assert "between" in message
    before = load_playbook_text(DEFAULT_TEXT, source="old.yaml")
    after = load_playbook_text(edited("mql_min_fit: 20", f"mql_min_fit: 20\n{WHEN}"), source="new.yaml")
    assert format_changes(diff_playbooks(before, after)) == [
        'changed mql_when: [] -> [{"field": "lead.predicted", "op": "gte", "value": 0.3}]']
