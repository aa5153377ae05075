"""The rep's work on an accepted lead: activities (the first contact stops the clock) and field edits."""

import pytest

from revteam.db.session import session_scope
from revteam.errors import BadInput, Forbidden, NotFound
from revteam.leads.edits import edit_lead
from revteam.leads.flow.actions import accept_lead, route_lead, touch_lead
from revteam.accounts.models import Account, Person
from revteam.leads.models import Lead


@pytest.fixture
def accepted(team, make_lead, act, clock):
    def make(**fields) -> int:
        lead = make_lead(**fields)
        act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
        act(accept_lead, lead_id=lead, actor="alice@acme.io", now=clock.now)
        return lead

    return make


def test_a_note_does_not_stop_the_first_touch_clock_but_a_call_does(accepted, act, events_of, jobs_of, clock):
    lead = accepted()
    act(touch_lead, lead_id=lead, actor="alice@acme.io", now=clock.after(minutes=5), kind="note", note="left voicemail?")
    assert [job.state for job in jobs_of("sla.first_touch_expiry")] == ["due"]
    offer = act(touch_lead, lead_id=lead, actor="alice@acme.io", now=clock.after(minutes=9), kind="call",
                note="talked budget")
    assert offer.touched_at == clock.after(minutes=9)
    assert [job.state for job in jobs_of("sla.first_touch_expiry")] == ["cancelled"]
    assert events_of(lead, "lead.noted")[0].data["note"] == "left voicemail?"
    contact = events_of(lead, "lead.contacted")[0].data
    assert (contact["kind"], contact["first"], contact["note"]) == ("call", True, "talked budget")


def test_only_the_first_contact_counts_as_first(accepted, act, events_of, clock):
    lead = accepted()
    for kind in ("email", "meeting"):
        act(touch_lead, lead_id=lead, actor="alice@acme.io", now=clock.now, kind=kind)
    assert [(e.data["kind"], e.data["first"]) for e in events_of(lead, "lead.contacted")] == [
        ("email", True), ("meeting", False)]


def test_an_unknown_activity_or_an_empty_note_is_refused(accepted, act, clock):
    lead = accepted()
    with pytest.raises(BadInput, match="one of call, email, meeting, note"):
        act(touch_lead, lead_id=lead, actor="alice@acme.io", now=clock.now, kind="fax")
    with pytest.raises(BadInput, match="a note needs its text"):
        act(touch_lead, lead_id=lead, actor="alice@acme.io", now=clock.now, kind="note", note=" ")


def _edit(act, lead, actor="alice@acme.io", **values):
    return act(edit_lead, lead_id=lead, actor=actor, values=values)


def test_an_edit_records_each_old_and_new_value(accepted, act, events_of):
    lead = accepted()
    changes = _edit(act, lead, first_name="Patricia", title="CFO", phone="(212) 555-0143", committee_role="champion")
    assert changes == {"first_name": {"old": "Pat", "new": "Patricia"}, "title": {"old": "VP Sales", "new": "CFO"},
                       "phone": {"old": None, "new": "+12125550143"}, "committee_role": {"old": None, "new": "champion"}}
    event = events_of(lead, "lead.edited")[0]
    assert event.actor == "alice@acme.io" and event.data["changes"] == changes


def test_an_edit_that_changes_nothing_records_nothing(accepted, act, events_of):
    lead = accepted()
    assert _edit(act, lead, first_name="Pat", title="VP Sales") == {}
    assert events_of(lead, "lead.edited") == []


@pytest.mark.parametrize(("field", "value", "message"), [("phone", "call me maybe", "not a phone number"),
                                                         ("committee_role", "boss", "committee role is one of"),
                                                         ("title", "x" * 201, "at most 200"),
                                                         ("owner_id", "1", "cannot edit owner_id")])
def test_bad_values_are_refused_naming_the_field(accepted, act, field, value, message):
    with pytest.raises(BadInput, match=message) as refused:
        _edit(act, accepted(), **{field: value})
    assert refused.value.where == field


def test_a_new_company_moves_the_lead_and_person_to_that_account(accepted, act, engine, events_of, make_lead):
    lead = accepted()  # at Company 1
    other = make_lead()  # at Company 2
    change = _edit(act, lead, company="Company 2 Inc.")["company"]
    with session_scope(engine) as session:
        target = session.get(Lead, other).account_id
        moved = session.get(Lead, lead)
        assert moved.account_id == target == session.get(Person, moved.person_id).account_id
        assert session.get(Account, change["old_account_id"]).name == "Company 1"  # not renamed
    assert (change["old"], change["new"]) == ("Company 1", "Company 2")


def test_an_unknown_company_becomes_a_new_account(accepted, act, engine):
    lead = accepted()
    change = _edit(act, lead, company="Initech")["company"]
    with session_scope(engine) as session:
        assert session.get(Account, change["new_account_id"]).name == "Initech"


def test_who_may_not_work_the_lead_may_not_edit_it(accepted, act):
    lead = accepted()
    with pytest.raises(NotFound):
        _edit(act, lead, actor="bob@acme.io", title="CEO")
    with pytest.raises(Forbidden):
        _edit(act, lead, actor="mia@acme.io", title="CEO")
    assert _edit(act, lead, actor="dana@acme.io", title="CEO") == {"title": {"old": "VP Sales", "new": "CEO"}}
