"""Initech's buying committee: nora the VP (decision maker, just at a webinar), carlos the champion
(never touched), priya in procurement (no role yet: her title only suggests one)."""

from datetime import timedelta

import pytest

from revteam.accounts.models import Account, Person
from revteam.cultivation.rules import holds
from revteam.db.session import session_scope
from revteam.leads.committee import account_coverage, suggest_role
from revteam.leads.models import Activity, Lead
from revteam.leads.scoring.facts import facts_for_lead
from revteam.playbook.committee_schema import Committee
from revteam.playbook.condition_schema import Condition
from revteam.playbook.versions import active


@pytest.mark.parametrize("title, role", [
    ("VP Sales", "decision_maker"), ("Chief Financial Officer", "decision_maker"), ("Head of Data", "decision_maker"),
    ("Procurement Lead", "economic_buyer"), ("IT Manager", "influencer"), ("Data Analyst", "user"),
])
def test_a_title_suggests_the_role_of_the_first_rule_it_matches(title, role):
    assert suggest_role(title, Committee()).role == role


def test_a_suggestion_says_which_words_of_the_title_made_it():
    assert suggest_role("VP Sales", Committee()).why == "title 'VP Sales' holds 'VP' (rule '\\\\b(chief|c[efitrm]o|president|vp|vice president|head of)\\\\b')"


def test_a_title_no_rule_knows_suggests_nothing():
    assert suggest_role("Gardener", Committee()) is None and suggest_role(None, Committee()) is None


@pytest.fixture
def initech(engine, clock):
    """Initech's account id and nora's lead id."""
    with session_scope(engine) as session:
        account = Account(name="Initech", name_normalized="initech", domain="initech.com", tier="strategic",
                          employees=300)
        session.add(account)
        session.flush()
        people = {name: Person(account_id=account.id, first_name=name.title(), email=f"{name}@initech.com",
                               email_normalized=f"{name}@initech.com", title=title, committee_role=role)
                  for name, title, role in [("nora", "VP Sales", "decision_maker"), ("carlos", "Ops Lead", "champion"),
                                            ("priya", "Procurement Manager", None)]}
        session.add_all(people.values())
        session.flush()
        lead = Lead(person_id=people["nora"].id, account_id=account.id, state="cultivating", version=1)
        session.add(lead)
        session.flush()
        session.add(Activity(person_id=people["nora"].id, lead_id=lead.id, type="webinar_attended",
                             at=clock.after(days=-1)))
        session.add(Activity(person_id=people["carlos"].id, type="webinar_attended", at=clock.after(days=-200)))
        return account.id, lead.id


def _coverage(engine, account_id, now):
    with session_scope(engine) as session:
        return account_coverage(session, [account_id], playbook=active(session).playbook, now=now)[account_id]


def test_roles_are_engaged_known_or_missing(engine, initech, clock):
    coverage = _coverage(engine, initech[0], clock.now)
    assert coverage.known_roles == ["decision_maker", "champion"]
    assert coverage.engaged_roles == ["decision_maker"]  # carlos's webinar is older than the 90-day window
    assert coverage.missing_roles == ["economic_buyer", "influencer", "user", "blocker"]


def test_a_suggested_role_is_kept_apart_and_never_counts_as_known(engine, initech, clock):
    coverage = _coverage(engine, initech[0], clock.now)
    assert coverage.suggested == {"economic_buyer": 1} and "economic_buyer" in coverage.missing_roles


def test_the_account_engagement_adds_up_its_people_decayed(engine, initech, clock):
    # nora's webinar a day old (10 points, 30-day half-life) and carlos's 200 days old (about 0.1)
    assert _coverage(engine, initech[0], clock.now).engagement_score == 10
    assert _coverage(engine, initech[0], clock.after(days=29)).engagement_score == 5


def test_engagement_ages_out_of_the_window(engine, initech, clock):
    assert _coverage(engine, initech[0], clock.after(days=100)).engaged_roles == []


_COVERAGE_EXIT = ("when: [{field: lead.engagement_score, op: lt, value: 3}]",
                  "when: [{field: account.missing_roles, op: contains, value: champion}]")


def _facts_read_by_the_active_playbook(engine, lead_id, now):
    with session_scope(engine) as session:
        return facts_for_lead(session, lead_id, now=now, read_by=[active(session).playbook])


def test_track_conditions_read_the_coverage_through_the_facts(engine, initech, clock, use_playbook):
    use_playbook(*_COVERAGE_EXIT)
    facts = _facts_read_by_the_active_playbook(engine, initech[1], clock.now)
    assert facts["account.engaged_roles"] == "decision_maker"
    assert holds([Condition(field="account.missing_roles", op="contains", value="economic_buyer"),
                  Condition(field="account.engagement_score", op="gte", value=10)], facts)


def test_the_coverage_is_left_out_when_no_condition_reads_it(engine, initech, clock, use_playbook):
    use_playbook("  known_roles: [decision_maker]\n", "  known_roles: []\n")
    facts = _facts_read_by_the_active_playbook(engine, initech[1], clock.now)
    assert (facts["account.engaged_roles"], facts["account.missing_roles"], facts["account.engagement_score"]) == (
        None, None, None)


def test_every_role_covered_leaves_missing_roles_empty(engine, initech, clock, use_playbook):
    use_playbook(*_COVERAGE_EXIT)
    with session_scope(engine) as session:
        for role in ("economic_buyer", "influencer", "user", "blocker"):
            session.add(Person(account_id=initech[0], email=f"{role}@initech.com", committee_role=role))
    facts = _facts_read_by_the_active_playbook(engine, initech[1], clock.after(days=1) + timedelta(hours=1))
    assert holds([Condition(field="account.missing_roles", op="missing")], facts)


def test_a_fit_rule_cannot_read_the_committee(use_playbook):
    with pytest.raises(Exception, match="read from stored records"):
        use_playbook("  fit_rules:\n", "  fit_rules:\n    - {id: covered, description: x, field: account.engagement_score,"
                                        " op: gte, value: 1, points: 5}\n")
