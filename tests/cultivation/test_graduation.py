"""Graduation: a cultivated lead goes to sales when the playbook's SQL criteria hold, and not before;
the rep sees its history package in the API, on the lead page, in the inbox and in `leads show`."""

import json

import pytest
from sqlalchemy import select

from revteam.accounts.models import Person
from revteam.cultivation.graduation import confirm_criteria, sweep_with_graduation
from revteam.cultivation.models import Graduation, TrackEnrollment
from revteam.db.session import session_scope
from revteam.leads.committee import set_role
from revteam.leads.models import Activity, Lead
from revteam.leads.flow import actions as flow
from revteam.playbook.loader import PlaybookInvalid, load_playbook_text, default_playbook_path
from revteam.users.models import User

BANT = ("budget", "authority", "need", "timing")


@pytest.fixture
def cultivated(engine, make_lead):
    """A cultivating VP Sales (confirmed decision maker) at a 300-person US company, fit 35, score 45."""

    def make(**fields) -> int:
        lead_id = make_lead("cultivating", **{"committee_role": "decision_maker", "score": 45, **fields})
        with session_scope(engine) as session:
            session.get(Lead, lead_id).fit_score = 35
        return lead_id

    return make


@pytest.fixture
def confirm(engine):
    """Confirm criteria on a lead as a user, in its own committed transaction."""

    def run(lead_id: int, user, *criteria: str, at, note: str | None = None) -> dict:
        with session_scope(engine) as session:
            actor = session.get(User, user.id)
            return confirm_criteria(session, lead_id=lead_id, actor=actor, criteria=list(criteria), note=note, now=at)

    return run


@pytest.fixture
def graduation_sweep(engine):
    """The sweep job's work (graduate, take out, enroll) in its own committed transaction."""

    def run(at) -> dict:
        with session_scope(engine) as session:
            return sweep_with_graduation(session, now=at)

    return run


def _lead(engine, lead_id: int) -> Lead:
    with session_scope(engine) as session:
        return session.get(Lead, lead_id)


def test_a_lead_graduates_when_the_last_criterion_is_confirmed_and_not_before(
        engine, alice, mia, cultivated, confirm, run_sweep, enrollments_of, events_of, clock):
    lead_id = cultivated()
    run_sweep(clock.now)
    first = confirm(lead_id, mia, "budget", "authority", "need", at=clock.after(hours=1))
    assert (first["graduated"], first["missing"]) == (False, ["timing not confirmed"])
    assert _lead(engine, lead_id).state == "cultivating"
    done = confirm(lead_id, mia, "timing", at=clock.after(hours=2), note="live by Q3")
    assert done["graduated"] and done["missing"] == []
    lead = _lead(engine, lead_id)
    assert (lead.state, lead.owner_id) == ("routed", alice.id)
    [enrollment] = enrollments_of(lead_id)
    assert (enrollment.state, enrollment.end_reason) == ("exited", "graduated")
    [graduated] = events_of(lead_id, "lead.graduated")
    assert graduated.data["confirmed"] == sorted(BANT) and graduated.data["track"] == enrollment.track_id
    assert [event.type for event in events_of(lead_id, "lead.")][-3:] == [
        "lead.criteria_confirmed", "lead.graduated", "lead.routed"]


def test_a_missing_decision_maker_or_a_low_fit_keeps_the_lead_in_cultivation_until_the_sweep_sees_it_fixed(
        engine, alice, mia, cultivated, confirm, graduation_sweep, clock):
    no_role = cultivated(committee_role=None, title="Analyst")
    poor_fit = cultivated()
    with session_scope(engine) as session:
        session.get(Lead, poor_fit).fit_score = 10
    for lead_id in (no_role, poor_fit):
        answer = confirm(lead_id, mia, *BANT, at=clock.now)
        assert not answer["graduated"]
    assert confirm(no_role, mia, "budget", at=clock.now)["missing"] == ["no decision_maker known at the account"]
    assert confirm(poor_fit, mia, "budget", at=clock.now)["missing"] == ["lead.fit_score gte 20 does not hold"]
    assert graduation_sweep(clock.after(minutes=15))["graduated"] == 0
    with session_scope(engine) as session:
        email = session.scalar(select(Person.email).join(Lead, Lead.person_id == Person.id).where(Lead.id == no_role))
        set_role(session, email=email, role="decision_maker", actor="test")
    assert graduation_sweep(clock.after(minutes=30))["graduated"] == 1
    assert _lead(engine, no_role).state == "routed" and _lead(engine, poor_fit).state == "cultivating"
