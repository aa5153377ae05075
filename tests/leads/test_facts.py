"""The facts rules read: pat, the champion at initech (owned by alice), comes back from the spring webinar."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from revteam.accounts.models import Account, Person
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.leads.intake import land
from revteam.leads.intake.capture import capture
from revteam.leads.models import Lead
from revteam.leads.schemas import LeadIn
from revteam.leads.scoring.facts import STORED_VALUES, facts_for_lead, facts_for_leads, lead_facts, score_facts
from revteam.leads.scoring.rescoring import rescore_open_leads
from revteam.leads.committee import NO_COVERAGE_FACTS
from revteam.playbook.facts import FACTS, SCORE_FACTS, STORED_FACTS

PAT = LeadIn(email="pat@initech.com", title="VP Sales", country="US", company="Initech", source="webinar",
             campaign="Spring webinar", product_interest="analytics")
DECISION_MAKER_RULE = """  fit_rules:
    - id: decision_maker
      description: The buying committee's decision maker
      field: person.committee_role
      op: eq
      value: decision_maker
      points: 25
"""


@pytest.fixture
def pat(engine, alice):
    """Pat, known at initech (a strategic account alice owns) as `role`, with no lead yet."""

    def make(role: str = "champion") -> None:
        with session_scope(engine) as session:
            initech = Account(name="Initech", name_normalized="initech", domain="initech.com", industry="software",
                              employees=300, country="US", tier="strategic", owner_id=alice.id)
            session.add(initech)
            session.flush()
            session.add(Person(account_id=initech.id, email="pat@initech.com", email_normalized="pat@initech.com",
                               title="VP Sales", country="US", committee_role=role))

    return make


def _capture_pat(engine) -> int:
    with session_scope(engine) as session:
        [lead_id] = capture(session, [PAT], actor="test").lead_ids
    return lead_id


@pytest.fixture
def intake_facts(monkeypatch):
    """The facts intake scores each lead with, in the order it scored them."""
    seen: list[dict] = []

    def recording(values: dict) -> dict:
        seen.append(lead_facts(values))
        return seen[-1]

    monkeypatch.setattr(land, "lead_facts", recording)
    return seen


def _scored_rules(engine, lead_id: int) -> list[str]:
    with session_scope(engine) as session:
        query = select(Event.data).where(Event.type == "lead.scored", Event.subject_id == lead_id).order_by(Event.id)
        return [rule for kind, rule, _ in session.scalars(query).all()[-1]["lines"] if kind == "fit"]


def test_the_builder_makes_every_fact_of_the_catalogue_and_no_other():
    stored = Lead(fit_score=10, engagement_score=5, score=15)
    stored_facts = set(NO_COVERAGE_FACTS) | {"lead.confirmed_criteria"}  # the committee's and the criteria confirmed
    built = set(lead_facts(dict.fromkeys(STORED_VALUES))) | set(score_facts(stored)) | stored_facts
    assert built == set(FACTS)
    assert set(score_facts(stored)) == SCORE_FACTS and stored_facts == STORED_FACTS


def test_intake_scores_with_the_facts_every_reader_later_reads_from_the_stored_lead(pat, engine, intake_facts, alice):
    pat()
    lead_id = _capture_pat(engine)
    with session_scope(engine) as session:
        stored = facts_for_leads(session, [lead_id])[lead_id]
        assert facts_for_lead(session, lead_id) == stored
    assert intake_facts == [{name: value for name, value in stored.items()
                             if name not in SCORE_FACTS | STORED_FACTS}]
    assert (stored["lead.campaign"], stored["person.committee_role"], stored["account.owner"]) == (
        "Spring webinar", "champion", alice.email)


def test_a_fit_rule_on_the_committee_role_scores_a_known_person_at_intake(pat, engine, use_playbook):
    pat(role="decision_maker")
    use_playbook("  fit_rules:\n", DECISION_MAKER_RULE)
    assert "decision_maker" in _scored_rules(engine, _capture_pat(engine))


def test_a_fit_rule_on_the_committee_role_scores_open_leads_when_rescored(pat, engine, use_playbook):
    pat(role="decision_maker")
    lead_id = _capture_pat(engine)
    use_playbook("  fit_rules:\n", DECISION_MAKER_RULE)
    with session_scope(engine) as session:
        rescore_open_leads(session, now=datetime(2026, 3, 2, tzinfo=UTC), actor="test")
    assert "decision_maker" in _scored_rules(engine, lead_id)
