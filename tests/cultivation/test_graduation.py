"""Graduation: a cultivated lead goes to sales when the playbook's SQL criteria hold, and not before;
the rep sees its history package in the API, on the lead page, in the inbox and in `leads show`."""

import json
import re

import pytest
from sqlalchemy import func, select

from revteam.accounts.models import Person
from revteam.cultivation.graduation import sweep_with_graduation
from revteam.cultivation.package import graduation_package
from revteam.db.session import session_scope
from revteam.events.service import record
from revteam.leads.committee import set_role
from revteam.leads.models import Activity, Graduation, Lead
from revteam.leads.flow import actions as flow
from revteam.playbook.loader import load_default_playbook
from revteam.users.models import User
from revteam.users.service import issue_token
from tests.playbook.test_playbook_loader import edited, line_of, problems_of

BANT = ("budget", "authority", "need", "timing")


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


def test_the_default_playbook_asks_bant_a_known_decision_maker_and_a_fit_floor():
    graduation = load_default_playbook().graduation
    assert graduation.confirmed == list(BANT) and graduation.known_roles == ["decision_maker"]
    assert [(test.field, test.op, test.value) for test in graduation.when] == [("lead.fit_score", "gte", 20)]


def test_a_graduation_naming_an_unknown_criterion_or_role_is_refused_at_its_line():
    text = edited("  confirmed: [budget, authority, need, timing]", "  confirmed: [budget, money]")
    [(line, key, message)] = problems_of(text)
    assert (line, key) == (line_of(text, "confirmed: [budget, money]"), "graduation.confirmed[1]")
    assert "not one of sql_criteria ids: budget, authority, need, timing" in message
    text = edited("  known_roles: [decision_maker]", "  known_roles: [boss]")
    [(_, key, message)] = problems_of(text)
    assert key == "graduation.known_roles[0]" and "not one of committee.roles" in message


def test_an_unknown_criterion_is_refused_and_nothing_is_confirmed(engine, mia, cultivated, cli, db_url):
    lead_id = cultivated()
    result = cli("leads", "confirm", str(lead_id), "budget", "money", "--as", mia.email, "--db", db_url)
    assert result.code != 0 and "money is not among the playbook's sql_criteria" in result.err
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Graduation)) == 0
        assert session.scalar(select(Lead.state).where(Lead.id == lead_id)) == "cultivating"


def test_a_rep_cannot_confirm_criteria_on_a_cultivating_lead(alice, cultivated, cli, db_url):
    result = cli("leads", "confirm", str(cultivated()), "budget", "--as", alice.email, "--db", db_url)
    assert result.code != 0 and "no lead" in result.err  # a rep does not even see unrouted leads


def test_with_no_rep_free_the_graduate_waits_as_an_mql_for_routing(engine, mia, cultivated, confirm, clock):
    lead_id = cultivated()
    assert confirm(lead_id, mia, *BANT, at=clock.now)["graduated"]
    assert _lead(engine, lead_id).state == "mql"


@pytest.fixture
def graduate_with_history(engine, admin, alice, carl, mia, cultivated, confirm, run_sweep, clock):
    """Carl rejected the lead in January with a note; back in cultivation it was touched, rescored and
    its committee grew; mia confirmed BANT and it graduated to alice (carl is away)."""
    lead_id = cultivated()
    with session_scope(engine) as session:
        lead = session.get(Lead, lead_id)
        carl_user, admin_user = session.get(User, carl.id), session.get(User, admin.id)
        alice_row = session.get(User, alice.id)
        alice_row.available = False
        lead.state = "mql"
        session.flush()
        flow.route_lead(session, lead_id=lead_id, actor=admin_user, now=clock.after(days=-40))
        flow.reject_lead(session, lead_id=lead_id, actor=carl_user, reason="not_ready", now=clock.after(days=-40),
                         note="Evaluating in spring, call back in March")
        flow.evaluate_lead(session, lead_id=lead_id, actor=admin_user, to="cultivation", now=clock.after(days=-40))
        for days, kind in ((-35, "webinar_attended"), (-3, "content_download"), (-2, "email_click")):
            session.add(Activity(person_id=lead.person_id, lead_id=lead_id, type=kind, at=clock.after(days=days),
                                 source="test"))
        for days, total in ((-39, 30), (-2, 45)):
            record(session, type="lead.scored", subject_type="lead", subject_id=lead_id, actor="system",
                   at=clock.after(days=days), data={"fit": 35, "engagement": total - 35, "total": total})
        session.add(Person(account_id=lead.account_id, first_name="Fran", last_name="Money", title="VP Finance",
                           committee_role="economic_buyer", email="fran@company1.com",
                           email_normalized="fran@company1.com"))
        carl_user.available, alice_row.available = False, True
    run_sweep(clock.after(hours=-1))
    assert confirm(lead_id, mia, *BANT, at=clock.now, note="Budget approved for Q2")["graduated"]
    return lead_id


def _check_package(package: dict, people: set[str]) -> None:
    """The package as built for `graduate_with_history`; `people`: the committee's people the viewer may see."""
    assert package["track"] == "near_mql_decision" and package["track_name"] == "Close to ready - proof and pricing"
    assert [c["criterion"] for c in package["criteria"]] == list(BANT)
    assert package["criteria"][0]["note"] == "Budget approved for Q2"
    assert [t["type"] for t in package["touches"]][:3] == ["webinar_attended", "content_download", "email_click"]
    assert package["engagement_by_month"][0] == {"month": "2026-01", "touches": 1, "points": 10}
    assert [s["score"] for s in package["score_history"]] == [30, 45]
    assert package["committee"]["known"] == ["decision_maker", "economic_buyer"]
    assert {person["name"] for person in package["committee"]["people"]} == people
    [rejection] = package["rejections"]
    assert (rejection["rep"], rejection["reason"], rejection["note"]) == (
        "carl@acme.io", "not_ready", "Evaluating in spring, call back in March")


def test_the_rep_reads_the_package_in_the_api(graduate_with_history, engine, alice, client, clock):
    with session_scope(engine) as session:
        token = issue_token(session, alice.email, name="test", actor="test")
    headers = {"Authorization": f"Bearer {token}"}
    story = client.get(f"/api/leads/{graduate_with_history}", headers=headers).json()
    assert story["owner"] == alice.email
    _check_package(story["graduation"], {"Pat Buyer1"})  # a rep sees only the people of their leads
    answer = client.get(f"/api/leads/{graduate_with_history}/graduation", headers=headers).json()
    assert answer["package"] == story["graduation"]
    assert answer["confirmed"] == [] and "budget not confirmed" in answer["missing"]  # afresh for a next stay


def test_the_api_confirms_criteria_and_refuses_bad_input(engine, mia, cultivated, client, as_root, clock):
    lead_id = cultivated()
    answer = client.post(f"/api/leads/{lead_id}/criteria", headers=as_root, json={"criteria": ["budget"]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["added"] == ["budget"] and answer.json()["status"]["state"] == "cultivating"
    assert client.post(f"/api/leads/{lead_id}/criteria", headers=as_root, json={"criteria": []}).status_code == 422
    wrong = client.post(f"/api/leads/{lead_id}/criteria", headers=as_root, json={"criteria": ["vibes"]})
    assert wrong.status_code == 400 and "vibes" in wrong.text
    again = client.post(f"/api/leads/{lead_id}/criteria", headers=as_root, json={"criteria": ["budget", "need"]})
    assert again.json()["added"] == ["need"]


def test_the_rep_reads_the_package_in_leads_show(graduate_with_history, cli, db_url, alice, clock):
    result = cli("leads", "show", str(graduate_with_history), "--as", alice.email, "--db", db_url)
    assert result.code == 0, result.err
    assert "graduated" in result.out and "Close to ready - proof and pricing" in result.out
    assert "budget confirmed by mia@acme.io" in result.out and "Budget approved for Q2" in result.out
    assert "score history: 30 → 45" in result.out
    assert "Evaluating in spring, call back in March" in result.out
    assert "Pat Buyer1 (VP Sales): decision_maker" in result.out and "Fran Money" not in result.out
    shown = json.loads(cli("leads", "show", str(graduate_with_history), "--json", "--db", db_url).out)
    _check_package(shown["graduation"], {"Pat Buyer1", "Fran Money"})  # the operator sees everyone


def test_the_rep_sees_the_package_on_the_lead_page_and_in_the_inbox(graduate_with_history, client, sign_in, alice):
    sign_in(alice)
    page = client.get(f"/leads/{graduate_with_history}").text
    package = re.search(r'<div class="graduation" id="package">(.*?)</div>\s*</section>', page, re.S).group(1)
    assert "Close to ready - proof and pricing" in package and "Budget approved for Q2" in package
    assert "Evaluating in spring, call back in March" in package and "Pat Buyer1" in package
    assert re.search(r"<td>2026-01</td><td class=\"num\">1</td><td class=\"num\">10</td>", package)
    inbox = client.get("/inbox").text
    card = re.search(rf'<article class="card offer" id="offer-{graduate_with_history}".*?</article>', inbox, re.S).group(0)
    assert "Graduated from Close to ready - proof and pricing: " in card and "1 earlier rejection<" in card.replace("</summary>", "<")
    assert "Evaluating in spring, call back in March" in card


def test_marketing_confirms_criteria_on_the_lead_page(engine, cultivated, client, sign_in, mia):
    lead_id = cultivated()
    token = sign_in(mia)
    page = client.get(f"/leads/{lead_id}").text
    assert "Still missing for graduation: budget not confirmed; authority not confirmed" in page
    answer = client.post(f"/leads/{lead_id}/criteria", data={"csrf_token": token, "criteria": list(BANT),
                                                              "note": "all four on the call"})
    assert answer.status_code == 200 and "It graduated to sales." in answer.text
    assert _lead(engine, lead_id).state in ("mql", "routed")


def test_a_lead_back_in_cultivation_is_confirmed_afresh_before_it_graduates_again(
        engine, alice, mia, cultivated, confirm, graduation_sweep, clock):
    lead_id = cultivated()
    assert confirm(lead_id, mia, *BANT, at=clock.now)["graduated"]
    with session_scope(engine) as session:
        rep = session.get(User, alice.id)
        flow.reject_lead(session, lead_id=lead_id, actor=rep, reason="not_ready", now=clock.after(hours=1))
        flow.evaluate_lead(session, lead_id=lead_id, actor=session.get(User, mia.id), to="cultivation",
                           now=clock.after(hours=2))
    assert graduation_sweep(clock.after(hours=3))["graduated"] == 0
    assert _lead(engine, lead_id).state == "cultivating"
    again = confirm(lead_id, mia, "budget", "need", at=clock.after(hours=4))
    assert again["added"] == ["budget", "need"] and again["missing"] == ["authority not confirmed",
                                                                          "timing not confirmed"]
    assert confirm(lead_id, mia, "authority", "timing", "budget", at=clock.after(hours=5))["graduated"]
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Graduation).where(Graduation.lead_id == lead_id)) == 2
        package = graduation_package(session, lead_id, viewer=None, now=clock.after(hours=6))
    assert [(c["criterion"], c["confirmed_at"][11:16]) for c in package["criteria"]] == [
        ("budget", "19:00"), ("need", "19:00"), ("authority", "20:00"), ("timing", "20:00")]
    assert [r["reason"] for r in package["rejections"]] == ["not_ready"]
