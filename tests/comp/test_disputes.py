"""A rep disputes a line; a manager accepts it (adjustment line, new revision) or rejects it."""

from datetime import timedelta

import pytest

from revteam.comp import disputes, service
from revteam.comp.models import CompStatement
from revteam.db.base import utcnow
from revteam.db.session import session_scope
from revteam.errors import Conflict, Forbidden, InvalidMove
from revteam.events.models import Event
from revteam.users.models import User
from tests.comp.scenario import bobs_manager, closed_january


@pytest.fixture
def mo(engine) -> User:
    return bobs_manager(engine)


@pytest.fixture
def statement_id(engine, bob, make_lead) -> int:
    return closed_january(engine, make_lead, bob)


def _open(engine, statement_id, who):
    with session_scope(engine) as session:
        viewer = session.get(User, who.id)
        return disputes.open_dispute(session, statement_id=statement_id, line=0, expected_minor=52_500,
                                     reason="no holdback was agreed for this deal", viewer=viewer, actor=who.email).id


def _resolve(engine, dispute_id, who, accept):
    with session_scope(engine) as session:
        viewer = session.get(User, who.id)
        return disputes.resolve_dispute(session, dispute_id=dispute_id, accept=accept, note="checked the deal desk",
                                        viewer=viewer, actor=who.email)


def test_dispute_round_trip_adds_an_adjustment_line_in_a_new_revision(engine, bob, mo, statement_id):
    manager = mo
    dispute_id = _open(engine, statement_id, bob)
    with pytest.raises(Forbidden):
        _resolve(engine, dispute_id, bob, True)
    _resolve(engine, dispute_id, manager, True)
    with session_scope(engine) as session:
        view = service.statement(session, rep_email=bob.email, period="2026-01")
        listed = disputes.disputes(session, period="2026-01", viewer=None)
        types = [e.type for e in session.query(Event).filter(Event.subject_type == "comp_dispute").order_by(Event.id)]
        first = session.get(CompStatement, statement_id)
    # paid 472.50, expected 525.00: adjustment +52.50
    assert (view["revision"], view["total"], view["lines"][-1]["amount"]) == (2, "525.00", "52.50")
    assert first.total_minor == 47_250  # the stored revision 1 is untouched
    assert listed[0]["status"] == "accepted" and types == ["comp.dispute_opened", "comp.dispute_accepted"]
    with pytest.raises(InvalidMove, match="resolved once"):
        _resolve(engine, dispute_id, manager, False)


def test_rejected_dispute_keeps_the_statement_and_overdue_shows(engine, bob, mo, statement_id):
    dispute_id = _open(engine, statement_id, bob)
    with session_scope(engine) as session:
        [late] = disputes.disputes(session, period="2026-01", viewer=None, now=utcnow() + timedelta(days=11))
    assert late["overdue"] is True
    _resolve(engine, dispute_id, mo, False)
    with session_scope(engine) as session:
        assert service.statement(session, rep_email=bob.email, period="2026-01")["revision"] == 1


def test_a_line_is_disputed_once_while_its_dispute_is_open(engine, bob, mo, statement_id):
    dispute_id = _open(engine, statement_id, bob)
    with pytest.raises(Conflict, match="already disputed"):
        _open(engine, statement_id, bob)
    _resolve(engine, dispute_id, mo, False)
    assert _open(engine, statement_id, bob) != dispute_id  # answered: the rep may come back with more
