"""The demo's lead flow: offers for every routing, owners that agree, and a live backlog with its SLA jobs."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, Engine, text

from revteam.db.session import session_scope
from revteam.demo.generator import generate
from revteam.leads.states import LeadState
from revteam.cultivation.board import rejected_waiting, sla_breaches
from revteam.leads.inbox import open_offers
from revteam.users.models import User

from tests.small_demo import small_demo

AS_OF = date(2026, 3, 1)
END = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Engine:
    return small_demo(tmp_path_factory.mktemp("flow"), AS_OF)


def _rows(engine: Engine, query: str) -> list:
    with engine.connect() as connection:
        return connection.execute(text(query)).all()


def _scalar(engine: Engine, query: str):
    with engine.connect() as connection:
        return connection.execute(text(query)).scalar()


def test_every_lead_state_is_present(demo):
    states = {state for (state,) in _rows(demo, "SELECT DISTINCT state FROM leads")}
    assert states == {state.value for state in LeadState}


def test_every_sales_rep_has_one_to_five_offers_waiting(demo):
    waiting = dict(_rows(demo, "SELECT u.email, count(o.id) FROM users u LEFT JOIN offers o"
                               " ON o.rep_id = u.id AND o.outcome = 'open' WHERE u.role = 'sales' GROUP BY u.email"))
    assert len(waiting) >= 6
    assert all(1 <= count <= 5 for count in waiting.values()), waiting


def test_every_routing_event_has_its_offer(demo):
    assert _scalar(demo, "SELECT count(*) FROM events WHERE type = 'lead.routed'") == \
        _scalar(demo, "SELECT count(*) FROM offers")
    assert _scalar(demo, "SELECT count(*) FROM events e LEFT JOIN offers o ON o.id = json_extract(e.data, '$.offer')"
                         " AND o.lead_id = e.subject_id WHERE e.type = 'lead.routed' AND o.id IS NULL") == 0


def test_routed_and_worked_leads_belong_to_the_rep_of_their_last_offer(demo):
    mismatched = _scalar(demo, """
        SELECT count(*) FROM leads l JOIN offers o ON o.id = (SELECT max(id) FROM offers WHERE lead_id = l.id)
        WHERE l.state IN ('routed', 'accepted', 'won', 'lost', 'not_a_lead')
          AND (l.owner_id IS NOT o.rep_id
               OR o.outcome != CASE l.state WHEN 'routed' THEN 'open' ELSE 'accepted' END)""")
    assert mismatched == 0


def test_rejected_and_cultivating_leads_have_no_owner(demo):
    assert _scalar(demo, "SELECT count(*) FROM leads WHERE state IN ('rejected', 'cultivating', 'mql', 'new')"
                         " AND owner_id IS NOT NULL") == 0
    assert _scalar(demo, "SELECT count(*) FROM leads l WHERE state = 'rejected' AND (SELECT outcome FROM offers"
                         " WHERE lead_id = l.id ORDER BY id DESC LIMIT 1) != 'rejected'") == 0


def test_only_routed_leads_have_open_offers(demo):
    assert _scalar(demo, "SELECT count(*) FROM offers o JOIN leads l ON l.id = o.lead_id"
                         " WHERE o.outcome = 'open' AND l.state != 'routed'") == 0


def test_decided_offers_say_when_and_rejections_why(demo):
    assert _scalar(demo, "SELECT count(*) FROM offers WHERE outcome != 'open' AND decided_at IS NULL") == 0
    assert _scalar(demo, "SELECT count(*) FROM offers WHERE outcome = 'rejected' AND reason_code IS NULL") == 0
    assert {outcome for (outcome,) in _rows(demo, "SELECT DISTINCT outcome FROM offers")} == \
        {"open", "accepted", "rejected", "expired"}


def test_each_waiting_offer_has_a_due_accept_expiry_job(demo):
    missing = _scalar(demo, "SELECT count(*) FROM offers o LEFT JOIN jobs j ON j.dedupe_key = 'offer:' || o.id || ':' ||"
                            " 'sla.accept_expiry' AND j.state = 'due' AND j.kind = 'sla.accept_expiry'"
                            " AND j.run_at = o.accept_by WHERE o.outcome = 'open' AND j.id IS NULL")
    assert missing == 0


def test_each_rejected_lead_waits_with_a_due_evaluation_job(demo):
    assert _scalar(demo, "SELECT count(*) FROM leads l LEFT JOIN jobs j ON j.dedupe_key = 'lead:' || l.id || ':' ||"
                         " 'evaluate' AND j.state = 'due' WHERE l.state = 'rejected' AND j.id IS NULL") == 0


def test_backlog_has_offers_near_their_deadline_past_it_and_escalated(demo):
    with session_scope(demo) as session:
        late = sla_breaches(session, session.scalar(select(User).where(User.role == "admin")), now=END)
    assert any(row["kind"] == "accept" for row in late)
    escalated_then_waiting = _scalar(demo, """
        SELECT count(*) FROM offers o JOIN offers earlier ON earlier.lead_id = o.lead_id AND earlier.id < o.id
        WHERE o.outcome = 'open' AND earlier.outcome = 'expired'""")
    assert escalated_then_waiting > 0


def test_inbox_and_board_read_the_demo_backlog(demo):
    with session_scope(demo) as session:
        reps = [row[0] for row in session.execute(text("SELECT id FROM users WHERE role = 'sales'"))]
        admin = session.scalar(select(User).where(User.role == "admin"))
        inbox = open_offers(session, admin)
        rejected = rejected_waiting(session, admin)
    assert len({row["offer"].rep_id for row in inbox}) == len(reps)
    assert rejected and all(row["offer"].reason_code for row in rejected)


def test_demo_flow_is_written_the_same_on_either_database(engine):
    generate(engine, size="small", seed=7, as_of=AS_OF)
    states = {state for (state,) in _rows(engine, "SELECT DISTINCT state FROM leads")}
    assert states == {state.value for state in LeadState}
    unjobbed = _scalar(engine, "SELECT count(*) FROM offers o WHERE o.outcome = 'open' AND NOT EXISTS (SELECT 1"
                               " FROM jobs j WHERE j.kind = 'sla.accept_expiry' AND j.state = 'due'"
                               " AND j.run_at = o.accept_by)")
    assert unjobbed == 0
