"""The lead page carries every move the viewer may make, and each one works in one request.

alice (SDR, na-sdr) gets the lead, dana manages na-sdr, bob is a mid-market AE, carl alice's teammate."""

import re

import pytest
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.leads.models import Lead
from revteam.users.models import User

HTMX = {"HX-Request": "true"}


def _events(engine, lead_id, type_):
    with session_scope(engine) as session:
        return [e.data for e in session.scalars(select(Event).where(
            Event.subject_type == "lead", Event.subject_id == lead_id, Event.type == type_).order_by(Event.id))]


def _state(engine, lead_id):
    with session_scope(engine) as session:
        lead = session.get(Lead, lead_id)
        return lead.state, session.scalar(select(User.email).where(User.id == lead.owner_id))


@pytest.fixture
def post(client):
    def send(token, path, **data):
        return client.post(path, data=data, headers={"X-CSRF-Token": token, **HTMX})
    return send


def _buttons(html):
    return set(re.findall(r'<button type="submit"[^>]*>([^<]+)</button>', html.split('id="lead-actions"')[-1]))


def test_a_routed_lead_offers_its_rep_accept_and_reject_only(client, sign_in, alice, routed_lead):
    lead = routed_lead()
    sign_in(alice)
    assert _buttons(client.get(f"/leads/{lead}").text) == {"Accept", "Reject", "Save"}


def test_the_manager_sees_reassign_and_cultivation_but_not_the_reps_buttons(client, sign_in, alice, carl, dana,
                                                                            routed_lead):
    lead = routed_lead()
    sign_in(dana)
    html = client.get(f"/leads/{lead}").text
    assert {"Reassign", "Send to cultivation", "Accept"} <= _buttons(html)
    assert '<option value="carl@acme.io">' in html and '<option value="alice@acme.io">' not in html


def test_marketing_may_move_a_lead_between_reps_but_not_work_it(client, sign_in, alice, mia, routed_lead):
    lead = routed_lead()
    sign_in(mia)
    buttons = _buttons(client.get(f"/leads/{lead}").text)
    assert {"Reassign", "Send to cultivation"} <= buttons  # the playbook lets marketing route and evaluate
    assert not {"Accept", "Reject", "Save", "Log activity"} & buttons


def test_accept_then_log_a_call_stops_the_first_touch_clock(engine, sign_in, alice, routed_lead, post):
    lead = routed_lead()
    token = sign_in(alice)
    accepted = post(token, f"/leads/{lead}/accept")
    assert accepted.status_code == 200 and accepted.headers["HX-Retarget"] == "#lead"
    assert "Accepted: first contact due by" in accepted.text and "Log activity" in accepted.text
    logged = post(token, f"/leads/{lead}/activity", kind="call", note="talked about budget")
    assert "Logged the call. The first-touch clock stopped." in logged.text
    assert _events(engine, lead, "lead.contacted")[0]["kind"] == "call"


def test_reject_from_the_lead_page_records_reason_and_note(engine, sign_in, alice, routed_lead, post):
    lead = routed_lead()
    response = post(sign_in(alice), f"/leads/{lead}/reject", reason="not_ready", note="call in Q3")
    assert "Rejected (not ready)" in response.text
    rejected = _events(engine, lead, "lead.rejected")[0]
    assert (rejected["reason"], rejected["note"]) == ("not_ready", "call in Q3")


def test_another_rep_gets_404_and_a_marketer_403_for_a_move(client, sign_in, alice, bob, mia, routed_lead, post):
    lead = routed_lead()
    assert post(sign_in(bob), f"/leads/{lead}/accept").status_code == 404
    response = post(sign_in(mia), f"/leads/{lead}/accept")
    assert response.status_code == 403 and response.headers["HX-Retarget"] == "#flash"


def test_handoff_opportunity_and_won_from_the_page(engine, sign_in, alice, bob, routed_lead, post):
    lead = routed_lead()
    token = sign_in(alice)
    post(token, f"/leads/{lead}/accept")
    assert "Handed off" in post(token, f"/leads/{lead}/handoff").text
    assert _state(engine, lead) == ("routed", "bob@acme.io")
    token = sign_in(bob)
    post(token, f"/leads/{lead}/accept")
    opened = post(token, f"/leads/{lead}/opportunity", amount="12,000.00", expected_close="2026-06-30")
    assert "Opportunity opened" in opened.text and "$12,000" in opened.text
    won = post(token, f"/leads/{lead}/won", plan="Growth", seats="10", mrr="1000", term_months="12",
               start="2026-04-01", promises="SSO by May\nweekly check-ins")
    assert "Won: the customer" in won.text
    assert _state(engine, lead)[0] == "won"
    assert _events(engine, lead, "lead.disposed")[0]["outcome"] == "won"


def test_lost_on_an_opportunity_needs_a_playbook_reason(engine, sign_in, alice, routed_lead, post):
    lead = routed_lead()
    token = sign_in(alice)
    post(token, f"/leads/{lead}/accept")
    post(token, f"/leads/{lead}/opportunity", amount="500", expected_close="2026-06-30")
    assert post(token, f"/leads/{lead}/lost", reason="bored").status_code == 400
    assert "Lost (price)" in post(token, f"/leads/{lead}/lost", reason="price").text
    assert _state(engine, lead)[0] == "lost"


def test_not_a_lead_disposes_without_an_opportunity(engine, sign_in, alice, routed_lead, post):
    lead = routed_lead()
    token = sign_in(alice)
    post(token, f"/leads/{lead}/accept")
    assert "Closed as not a lead" in post(token, f"/leads/{lead}/dispose", outcome="not_a_lead").text
    assert _state(engine, lead)[0] == "not_a_lead"


def test_edit_records_old_and_new_values_and_refuses_a_bad_phone(engine, sign_in, alice, routed_lead, post):
    lead = routed_lead("Nora")
    token = sign_in(alice)
    bad = post(token, f"/leads/{lead}/edit", first_name="Nora", phone="not a phone")
    assert bad.status_code == 400 and "not a phone number" in bad.text
    saved = post(token, f"/leads/{lead}/edit", first_name="Norah", last_name="Buyer1", title="VP Sales",
                 phone="+44 20 7946 0958", company="", committee_role="decision_maker")
    assert "Saved: first name, phone." in saved.text
    assert _events(engine, lead, "lead.edited")[0]["changes"] == {
        "first_name": {"old": "Nora", "new": "Norah"}, "phone": {"old": None, "new": "+442079460958"}}


def test_control_characters_are_refused_in_an_edit(sign_in, alice, routed_lead, post):
    lead = routed_lead()
    assert post(sign_in(alice), f"/leads/{lead}/edit", title="CEO\x00").status_code == 400


def test_manager_reassigns_from_the_page_and_the_rep_is_told(engine, sign_in, alice, carl, dana, routed_lead, post):
    lead = routed_lead()
    response = post(sign_in(dana), f"/leads/{lead}/reassign", rep="carl@acme.io", reason="alice is out today")
    assert "Reassigned to carl@acme.io; they were told." in response.text
    assert _state(engine, lead) == ("routed", "carl@acme.io")
    assert _events(engine, lead, "lead.reassigned")[0]["reason"] == "alice is out today"


def test_a_rep_may_not_reassign(sign_in, alice, carl, routed_lead, post):
    lead = routed_lead()
    assert post(sign_in(alice), f"/leads/{lead}/reassign", rep="carl@acme.io", reason="x").status_code == 403


def test_evaluate_buttons_show_only_where_the_manager_may_evaluate(client, engine, sign_in, alice, dana, bob,
                                                                   routed_lead, post):
    lead = routed_lead()
    post(sign_in(alice), f"/leads/{lead}/reject", reason="not_ready")
    sign_in(dana)
    assert "Evaluate: back to cultivation" in client.get(f"/leads/{lead}").text
    with session_scope(engine) as session:  # dana moves to another team: alice's lead is no longer hers to judge
        session.scalar(select(User).where(User.email == dana.email)).team_id = \
            session.scalar(select(User.team_id).where(User.email == bob.email))
    assert client.get(f"/leads/{lead}").status_code == 404


def test_evaluate_from_the_lead_page(engine, sign_in, alice, dana, routed_lead, post):
    lead = routed_lead()
    post(sign_in(alice), f"/leads/{lead}/reject", reason="not_ready")
    response = post(sign_in(dana), f"/leads/{lead}/evaluate", to="cultivation")
    assert "Evaluated: returned to cultivation" in response.text and _state(engine, lead) == ("cultivating", None)


def test_my_leads_lists_the_reps_work_with_the_next_deadline_first(client, sign_in, alice, carl, routed_lead, post):
    first, second = routed_lead("Nora"), routed_lead("Omar")
    token = sign_in(alice)
    post(token, f"/leads/{first}/accept")
    html = client.get("/my-leads").text
    assert 'data-total="' in html
    rows = re.findall(r'<a href="/leads/(\d+)">', html.split('id="my-leads"')[1])
    owned = {int(lead) for lead in rows}
    assert owned <= {first, second} and first in owned
    assert ("first contact" in html) and ("My leads" in html)


def test_my_leads_lists_deadlines_first_then_the_contacted_leads_by_id(engine, client, sign_in, alice, carl,
                                                                        routed_lead, post):
    routed = [routed_lead(name) for name in ("Pia", "Quinn", "Rui", "Sol", "Tao", "Uma")]  # turn by turn
    with session_scope(engine) as session:
        alices = session.scalars(select(Lead.id).join(User, User.id == Lead.owner_id)
                                 .where(User.email == alice.email, Lead.id.in_(routed)).order_by(Lead.id)).all()
    contacted, waiting, offered = alices
    token = sign_in(alice)
    for lead in (contacted, waiting):
        post(token, f"/leads/{lead}/accept")
    post(token, f"/leads/{contacted}/activity", kind="call")
    table = client.get("/my-leads").text.split('id="my-leads"')[1]
    rows = [int(lead) for lead in re.findall(r'<a href="/leads/(\d+)">', table)]
    assert 'data-total="3"' in table and len(rows) == 3
    assert set(rows[:2]) == {waiting, offered} and rows[2] == contacted
    assert table.count("contacted") == 1 and table.count("accept or reject") == 1


def test_leads_and_my_leads_are_in_the_navigation(client, sign_in, alice, mia):
    sign_in(alice)
    nav = client.get("/playbook").text.split('aria-label="Main"')[1].split("</nav>")[0]
    assert 'href="/my-leads"' in nav and 'href="/leads"' in nav
    sign_in(mia)
    nav = client.get("/playbook").text.split('aria-label="Main"')[1].split("</nav>")[0]
    assert 'href="/leads"' in nav and 'href="/my-leads"' not in nav


def test_bulk_send_to_cultivation_from_the_list(client, engine, sign_in, alice, dana, routed_lead, post):
    first, second = routed_lead("Nora"), routed_lead("Omar")
    token = sign_in(dana)
    assert "Act on these" in client.get("/leads?state=routed").text
    response = client.post("/leads/bulk", data={"action": "cultivate", "lead_id": [first, second], "reason": "Q4 push"},
                           headers={"X-CSRF-Token": token, **HTMX})
    assert "Sent to cultivation: 2 leads" in response.text
    assert _state(engine, first)[0] == _state(engine, second)[0] == "cultivating"


def test_bulk_reports_the_leads_it_may_not_move(client, engine, sign_in, alice, carl, dana, routed_lead):
    lead = routed_lead()
    token = sign_in(dana)
    response = client.post("/leads/bulk", data={"action": "reassign", "lead_id": [lead, 999999], "rep": "carl@acme.io",
                                                "reason": "balance"}, headers={"X-CSRF-Token": token, **HTMX})
    assert "Reassigned to carl@acme.io: 1 lead" in response.text and "Lead 999999: no lead 999999" in response.text


def test_a_rep_sees_no_bulk_form(client, sign_in, alice, routed_lead):
    routed_lead()
    sign_in(alice)
    assert "Act on these" not in client.get("/leads").text


def test_a_move_without_the_csrf_token_is_refused(client, sign_in, alice, routed_lead, engine):
    lead = routed_lead()
    sign_in(alice)
    assert client.post(f"/leads/{lead}/accept", headers=HTMX).status_code == 403
    assert _state(engine, lead)[0] == "routed"
