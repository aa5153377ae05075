"""Closed months keep their statements; a recalculation is a new revision with its difference."""

from datetime import date

import pytest

from revteam.comp import service
from revteam.db.session import session_scope
from revteam.errors import Conflict
from revteam.events.models import Event
from tests.comp.scenario import change, win


def _close(engine, period):
    with session_scope(engine) as session:
        return len(service.close_period(session, period=period, actor="dana@acme.io"))


def _statement(engine, rep, period):
    with session_scope(engine) as session:
        return service.statement(session, rep_email=rep.email, period=period)


@pytest.fixture
def closed_january(engine, bob, make_lead):
    _, subscription = win(engine, make_lead, bob, mrr_minor=100_000, start=date(2026, 1, 10))
    assert _close(engine, "2026-01") == 1
    return subscription


def test_closing_is_recorded_and_done_once(engine, bob, closed_january):
    with session_scope(engine) as session:
        types = {event.type for event in session.query(Event).filter(Event.type.like("comp.%"))}
        with pytest.raises(Conflict, match="already closed"):
            service.close_period(session, period="2026-01", actor="dana@acme.io")
    assert types == {"comp.period_closed", "comp.statement_stored"}
    first = _statement(engine, bob, "2026-01")
    assert (first["status"], first["revision"], first["difference"]) == ("closed", 1, [])


def test_statement_survives_a_playbook_change(engine, bob, closed_january, use_playbook):
    before = _statement(engine, bob, "2026-01")
    use_playbook("variable_target: 60000.00", "variable_target: 120000.00")
    after = _statement(engine, bob, "2026-01")
    assert after == before and after["total"] == "472.50"


def test_statement_survives_a_late_record_and_recalculation_shows_the_difference(engine, bob, make_lead,
                                                                                closed_january):
    late, _ = win(engine, make_lead, bob, mrr_minor=50_000, start=date(2026, 1, 20))  # booked after the close
    assert _statement(engine, bob, "2026-01")["total"] == "472.50"
    with session_scope(engine) as session:
        revision = service.recalculate(session, rep_email=bob.email, period="2026-01", actor="dana@acme.io")
    assert revision.revision == 2
    view = _statement(engine, bob, "2026-01")
    # the late deal: 500 x 12 x 0.0875 x 0.5 less 10 % = 236.25
    assert (view["revision"], view["total"]) == (2, "708.75")
    assert view["difference"] == [{"rule": "commission.new_business", "source": f"movement:{late}:2026-01-20:new",
                                   "before": "0.00", "after": "236.25", "difference": "236.25"}]
    with session_scope(engine) as session:
        assert [r["revision"] for r in service.history(session, rep_email=bob.email)] == [1, 2]


def test_clawback_takes_back_what_the_stored_statement_paid(engine, bob, closed_january, use_playbook):
    use_playbook("variable_target: 60000.00", "variable_target: 120000.00")  # would pay double now
    change(engine, closed_january, mrr_minor=0, day=date(2026, 3, 11))
    view = _statement(engine, bob, "2026-03")
    [line] = [line for line in view["lines"] if line["rule"] == "clawback"]
    # stored January line 472.50 x (180 - 60) / 180 = 315.00, not the new plan's 945.00 x 2/3
    assert line["amount"] == "-315.00" and "stored statement 2026-01" in line["explanation"]
