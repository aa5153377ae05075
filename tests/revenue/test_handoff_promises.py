"""Success confirms or disputes each promise sales made; disputes count on rep and source."""

from datetime import date

import pytest
from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.errors import BadInput, Forbidden, InvalidMove
from revteam.revenue import handoff, service
from revteam.revenue.models import Promise


@pytest.fixture
def promise_ids(engine, bob, make_lead) -> list[int]:
    lead_id = make_lead("accepted", owner=bob, source="webinar")
    with session_scope(engine) as session:
        opportunity = service.open_opportunity(session, lead_id=lead_id, amount_minor=1,
                                               expected_close=date(2024, 1, 1), actor=bob.email)
        made = service.close_won(session, opportunity_id=opportunity.id, plan="team", seats=5, mrr_minor=50_000,
                                  term_months=1, start=date(2024, 1, 1), promises=["SSO", "Salesforce sync"],
                                  actor=bob.email, success_plan="Live in 30 days")
        return list(session.scalars(select(Promise.id).where(Promise.handoff_id == made.id).order_by(Promise.id)))


def test_success_confirms_a_promise(engine, promise_ids, sam, cli, db_url):
    result = cli("customers", "promise", "confirm", promise_ids[0], "--as", sam.email, "--db", db_url)
    assert result.code == 0, result.err
    with session_scope(engine) as session:
        assert session.get(Promise, promise_ids[0]).status == "confirmed"


def test_a_rep_cannot_decide_promises(promise_ids, bob, cli, db_url):
    result = cli("customers", "promise", "dispute", promise_ids[0], "--as", bob.email, "--db", db_url)
    assert result.code == 2
    assert "only admin, manager, success may confirm or dispute promises" in result.err


def test_a_promise_is_decided_once(engine, promise_ids, sam):
    with session_scope(engine) as session:
        handoff.confirm_promise(session, promise_id=promise_ids[0], actor=sam.email)
    with session_scope(engine) as session, pytest.raises(InvalidMove, match="already confirmed"):
        handoff.dispute_promise(session, promise_id=promise_ids[0], actor=sam.email, note="no SSO yet")


def test_disputes_show_on_the_reps_and_the_sources_scorecard(engine, promise_ids, sam, bob):
    with session_scope(engine) as session:
        handoff.dispute_promise(session, promise_id=promise_ids[1], actor=sam.email, note="not on the roadmap")
        counts = handoff.disputes_by_rep_and_source(session)
    assert counts["by_rep"] == {bob.email: {"promises": 2, "disputed": 1}}
    assert counts["by_source"] == {"webinar": {"promises": 2, "disputed": 1}}


def test_unknown_people_cannot_decide(engine, promise_ids):
    with session_scope(engine) as session, pytest.raises(Forbidden, match="not an active revteam user"):
        handoff.confirm_promise(session, promise_id=promise_ids[0], actor="nobody@x.io")


def test_a_dispute_without_a_reason_is_refused_and_leaves_the_promise_pending(engine, promise_ids, sam):
    with session_scope(engine) as session, pytest.raises(BadInput, match="note: disputing promise .* needs a reason"):
        handoff.dispute_promise(session, promise_id=promise_ids[0], actor=sam.email, note="  ")
    with session_scope(engine) as session:
        assert session.get(Promise, promise_ids[0]).status == "pending"
