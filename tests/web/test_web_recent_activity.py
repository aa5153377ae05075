"""The inbox's recent activity and the lead page speak in words, with people's names, not raw event
names or e-mail addresses."""

from revteam.db.session import session_scope
from revteam.events.service import record


def _activity(client) -> str:
    return client.get("/inbox").text.split('id="activity"')[1].split("</ol>")[0]


def test_recent_activity_says_what_happened_with_the_leads_name(client, sign_in, alice, routed_lead):
    routed_lead("Nora")
    sign_in(alice)
    activity = _activity(client)
    assert "Nora" in activity and "routed to Alice Sdr" in activity
    assert "lead.routed" not in activity and "routed lead" not in activity and "alice@acme.io" not in activity


def test_a_run_of_cultivation_steps_on_one_lead_is_one_line(client, sign_in, alice, routed_lead, engine):
    lead_id = routed_lead("Nora")
    with session_scope(engine) as session:
        for step in range(3):
            record(session, type="track.step", subject_type="lead", subject_id=lead_id, actor="system:cultivation",
                   data={"track": "nurture", "step": step, "what": "send roi-calculator"})
    sign_in(alice)
    activity = _activity(client)
    assert activity.count("cultivation: send roi-calculator") == 1 and "(3 times)" in activity


def test_the_lead_timeline_names_people_and_shows_no_python_values(client, sign_in, alice, routed_lead, engine):
    lead_id = routed_lead("Nora")
    with session_scope(engine) as session:
        record(session, type="lead.handed_off", subject_type="lead", subject_id=lead_id, actor="alice@acme.io",
               data={"from": "alice@acme.io", "criteria": ["budget", "need"], "note": None})
    sign_in(alice)
    page = client.get(f"/leads/{lead_id}").text
    timeline = page.split("Timeline")[1]
    assert "handed off to an AE" in timeline and "criteria: budget, need" in timeline
    assert "Alice Sdr" in timeline and "alice@acme.io" not in timeline
    assert "None" not in timeline and "[&#39;" not in timeline and "owner Alice Sdr" in page


def test_the_cultivation_board_names_the_rep_who_rejected(client, sign_in, alice, dana, routed_lead):
    lead_id = routed_lead("Nora")
    token = sign_in(alice)
    client.post(f"/inbox/{lead_id}/reject", data={"reason": "not_ready"},
                headers={"X-CSRF-Token": token, "HX-Request": "true"})
    sign_in(dana)
    row = client.get("/cultivation").text.split(f'id="rejected-{lead_id}"')[1].split("</tr>")[0]
    assert "Alice Sdr" in row and "alice@acme.io" not in row
