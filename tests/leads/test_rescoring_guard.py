"""A re-score that read a lead before another action moved it does not move it back (stale reads, forced)."""

import pytest
from sqlalchemy import select

from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.leads.flow.moves import apply_move
from revteam.leads.intake import plan as intake_plan
from revteam.leads.intake.capture import capture
from revteam.leads.models import Lead
from revteam.leads.schemas import LeadIn
from revteam.leads.scoring import rescoring
from revteam.leads.scoring.rescoring import rescore_open_leads
from revteam.leads.states import LeadState, Move
from revteam.playbook.versions import active


def _route_meanwhile(engine, lead_id: int) -> None:
    with session_scope(engine) as other:
        apply_move(other, other.get(Lead, lead_id), Move.ROUTE, now=utcnow())


def _lead(engine, lead_id: int) -> Lead:
    with session_scope(engine) as session:
        return session.get(Lead, lead_id)


def _event_types(engine, lead_id: int) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(Event.type).where(Event.subject_type == "lead",
                                                                Event.subject_id == lead_id).order_by(Event.id)).scalars())


def test_a_lead_routed_after_the_rescore_read_it_stays_routed_with_its_new_score(engine, make_lead, use_playbook,
                                                                                   monkeypatch):
    lead_id = make_lead("cultivating")
    use_playbook("mql_threshold: 60", "mql_threshold: 5")  # the re-score would qualify it
    read_scores = rescoring.score_stored_leads

    def scores_then_a_move_commits(session, playbook, lead_ids, *, now):
        scores = read_scores(session, playbook, lead_ids, now=now)
        _route_meanwhile(engine, lead_id)
        return scores

    monkeypatch.setattr(rescoring, "score_stored_leads", scores_then_a_move_commits)
    with session_scope(engine) as session:
        assert rescore_open_leads(session, now=utcnow(), actor="test") == 1
        version_id = active(session).version_id
    lead = _lead(engine, lead_id)
    assert (lead.state, lead.version, lead.scored_with) == (LeadState.ROUTED, 2, version_id)
    assert lead.is_mql and _event_types(engine, lead_id)[-1] == "lead.scored"


def test_a_lead_closed_after_the_rescore_read_it_is_left_as_it_is(engine, make_lead, use_playbook, monkeypatch):
    lead_id = make_lead("cultivating")
    use_playbook("mql_threshold: 60", "mql_threshold: 5")

    def close_meanwhile(session, after_id):
        rows = read_leads(session, after_id)
        with session_scope(engine) as other:
            other.get(Lead, lead_id).state = LeadState.NOT_A_LEAD
        return rows

    read_leads = rescoring._open_leads
    monkeypatch.setattr(rescoring, "_open_leads", close_meanwhile)
    with session_scope(engine) as session:
        assert rescore_open_leads(session, now=utcnow(), actor="test") == 0
    assert _lead(engine, lead_id).state == LeadState.NOT_A_LEAD and "lead.scored" not in _event_types(engine, lead_id)


def test_an_import_touch_on_a_lead_routed_after_the_import_read_it_leaves_it_routed(engine, monkeypatch, use_playbook):
    if engine.dialect.name != "postgresql":
        pytest.skip("on SQLite the intake holds the write lock from before it reads: no move can commit meanwhile")
    with session_scope(engine) as session:
        [lead_id] = capture(session, [LeadIn(email="ann@initech.com", company="Initech")], actor="api").lead_ids
    assert _lead(engine, lead_id).state == LeadState.CULTIVATING
    # Initech's fit is under the default minimum fit: with none, the new touch alone qualifies the lead.
    use_playbook("mql_threshold: 60", "mql_threshold: 1", ("mql_min_fit: 20", "mql_min_fit: null"))
    read_people = intake_plan._known_people

    def known_then_routed(session, plans):
        read_people(session, plans)
        _route_meanwhile(engine, lead_id)

    monkeypatch.setattr(intake_plan, "_known_people", known_then_routed)
    with session_scope(engine) as session:
        capture(session, [LeadIn(email="ann@initech.com", company="Initech")], actor="api")
    lead = _lead(engine, lead_id)
    assert (lead.state, lead.version, lead.is_mql) == (LeadState.ROUTED, 2, True)
    assert "lead.qualified" not in _event_types(engine, lead_id)
