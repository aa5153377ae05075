from collections import Counter

import pytest
from sqlalchemy import select, update

from revteam.db.session import session_scope
from revteam.errors import Forbidden, InvalidMove, NotFound
from revteam.leads.flow.actions import accept_lead, dispose_lead, route_lead, route_ready_leads
from revteam.routing.service import NoEligibleRep
from revteam.users.models import User


def test_mql_is_routed_to_a_rep_of_the_matching_team(team, make_lead, act, lead_of, clock):
    lead = make_lead(country="US")
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    assert lead_of(lead) == ("routed", "alice@acme.io")


def test_routing_event_records_rule_candidates_and_reason(team, make_lead, act, events_of, clock):
    lead = make_lead(country="US")
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    [routed] = events_of(lead, "lead.routed")
    assert routed.data["rule"] == "na_territory" and routed.data["target"] == "team na-sdr"
    assert routed.data["candidates"] == ["alice@acme.io", "carl@acme.io"]
    assert routed.data["rep"] == "alice@acme.io" and "weighted round robin" in routed.data["reason"]
    assert routed.data["stage"] == "sdr" and routed.actor == "mia@acme.io"


def test_routed_rep_is_notified(team, make_lead, act, jobs_of, clock):
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    [mail] = jobs_of("notify.email")
    assert mail.payload["to"] == "alice@acme.io" and mail.payload["lead_id"] == lead


def test_inactive_rep_is_skipped_and_the_skip_is_recorded(team, engine, make_lead, act, lead_of, events_of, clock):
    with session_scope(engine) as session:
        session.execute(update(User).where(User.email == "alice@acme.io").values(active=False))
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    assert lead_of(lead)[1] == "carl@acme.io"
    assert {"rep": "alice@acme.io", "reason": "inactive"} in events_of(lead, "lead.routed")[0].data["skipped"]


@pytest.fixture
def team_full(team, engine, make_lead, act, clock):
    """alice and carl may hold one open lead each, and each has one just routed to them."""
    with session_scope(engine) as session:
        session.execute(update(User).where(User.team_id.is_not(None)).values(capacity=1))
    first, second = make_lead(), make_lead()
    act(route_lead, lead_id=first, actor="mia@acme.io", now=clock.now)
    act(route_lead, lead_id=second, actor="mia@acme.io", now=clock.now)
    return first, second


def test_rep_at_capacity_is_never_picked(team_full, make_lead, act, lead_of, clock):
    first, second = team_full
    third = make_lead()
    with pytest.raises(NoEligibleRep, match=f"lead {third}: nobody can take it now"):
        act(route_lead, lead_id=third, actor="mia@acme.io", now=clock.now)
    assert {lead_of(first)[1], lead_of(second)[1]} == {"alice@acme.io", "carl@acme.io"}
    assert lead_of(third) == ("mql", None)


def test_an_accepted_lead_counts_against_capacity_until_it_is_won(team_full, make_lead, act, lead_of, clock):
    first, third = team_full[0], make_lead()
    rep = lead_of(first)[1]
    act(accept_lead, lead_id=first, actor=rep, now=clock.now)
    with pytest.raises(NoEligibleRep):
        act(route_lead, lead_id=third, actor="mia@acme.io", now=clock.now)
    act(dispose_lead, lead_id=first, actor=rep, outcome="won", now=clock.now)
    act(route_lead, lead_id=third, actor="mia@acme.io", now=clock.now)
    assert lead_of(third) == ("routed", rep)


def test_account_owner_gets_leads_of_their_account(team, make_lead, act, lead_of, clock):
    lead = make_lead(account_owner="carl@acme.io")
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    assert lead_of(lead) == ("routed", "carl@acme.io")


def test_a_sales_rep_may_not_route_even_a_lead_they_see(team, make_lead, act, lead_of, clock):
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    with pytest.raises(Forbidden, match="only admin, marketing, manager may route"):
        act(route_lead, lead_id=lead, actor=lead_of(lead)[1], now=clock.now)


def test_a_sales_rep_does_not_see_the_routing_queue(team, make_lead, act, clock):
    lead = make_lead()
    with pytest.raises(NotFound, match=f"^no lead {lead}$"):
        act(route_lead, lead_id=lead, actor="alice@acme.io", now=clock.now)


def test_routing_a_routed_lead_is_refused_naming_lead_state_and_move(team, make_lead, act, clock):
    lead = make_lead()
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    with pytest.raises(InvalidMove, match=f"lead {lead} is routed; cannot route it"):
        act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)


@pytest.mark.parametrize("state", ["new", "cultivating"])
def test_operator_may_route_a_lead_before_it_is_an_mql(team, make_lead, act, lead_of, clock, state):
    lead = make_lead(state=state)
    act(route_lead, lead_id=lead, actor="root@acme.io", now=clock.now)
    assert lead_of(lead)[0] == "routed"


def test_route_ready_routes_every_waiting_mql(team, make_lead, act, lead_of, clock):
    leads = [make_lead() for _ in range(3)] + [make_lead(state="cultivating")]
    counts = act(route_ready_leads, now=clock.now)
    assert counts == {"routed": 3, "waiting": 0, "conflicts": 0}
    assert [lead_of(lead)[0] for lead in leads] == ["routed", "routed", "routed", "cultivating"]


def test_round_robin_on_the_database_follows_weights_within_capacity(team, engine, make_lead, act, lead_of, clock):
    with session_scope(engine) as session:
        session.execute(update(User).where(User.email == "carl@acme.io").values(weight=3, capacity=100))
        session.execute(update(User).where(User.email == "alice@acme.io").values(capacity=7))
    leads = [make_lead() for _ in range(40)]
    counts = act(route_ready_leads, now=clock.now, limit=100)
    owners = Counter(lead_of(lead)[1] for lead in leads)
    assert counts["routed"] == 40
    assert owners["alice@acme.io"] == 7  # her share would be 10, but her capacity is 7
    assert owners["carl@acme.io"] == 33


def test_route_ready_passes_over_leads_nobody_can_take(team, engine, make_lead, act, lead_of, clock):
    from revteam.routing.models import Offer

    stuck = [make_lead() for _ in range(2)]
    with session_scope(engine) as session:
        reps = session.scalars(select(User.id).where(User.email.in_(["alice@acme.io", "carl@acme.io"]))).all()
        for lead in stuck:  # both na-sdr reps rejected these: fair game bars them both
            session.add_all(Offer(lead_id=lead, rep_id=rep, accept_by=clock.now, outcome="rejected",
                                  decided_at=clock.now) for rep in reps)
    fresh = make_lead()
    counts = act(route_ready_leads, now=clock.now, limit=1)
    assert counts == {"routed": 1, "waiting": 2, "conflicts": 0}
    assert lead_of(fresh)[0] == "routed" and [lead_of(lead)[0] for lead in stuck] == ["mql", "mql"]


SPRING_WEBINAR_RULE = """    - id: spring_webinar
      description: The spring webinar's leads go to carl
      when:
        - {field: lead.campaign, op: eq, value: Spring webinar}
      target: {rep: carl@acme.io}
    - id: account_owner_first"""


def test_a_routing_rule_on_the_campaign_routes_the_campaigns_leads(team, use_playbook, make_lead, join_campaign, act,
                                                                   lead_of, events_of, clock):
    use_playbook("    - id: account_owner_first", SPRING_WEBINAR_RULE)
    lead = make_lead(country="US")
    join_campaign(lead, "Spring webinar")
    act(route_lead, lead_id=lead, actor="mia@acme.io", now=clock.now)
    assert lead_of(lead) == ("routed", "carl@acme.io")
    assert events_of(lead, "lead.routed")[0].data["rule"] == "spring_webinar"
