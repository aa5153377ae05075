from collections import Counter

from revteam.playbook.loader import default_playbook_path, load_playbook_text
from revteam.routing.roster import rotation_keys
from revteam.routing.roundrobin import RotationState
from revteam.routing.rules import Rep, Roster, decide_route

PLAYBOOK = load_playbook_text(default_playbook_path().read_text(encoding="utf-8"), source="default")
US_LEAD = {"lead.country": "US", "account.employees": 300}


def _na_team(**capacity: int) -> Roster:
    weights = {"ann": 1, "ben": 2, "cat": 3, "dan": 4}
    return Roster(Rep(id=i, email=f"{name}@acme.test", team="na-sdr", weight=weights[name],
                      capacity=capacity.get(name, 100_000))
                  for i, name in enumerate(weights, start=1))


def _route_many(roster: Roster, count: int) -> Counter:
    rotation, picks = RotationState(), Counter()
    for _ in range(count):
        decision = decide_route(PLAYBOOK.routing.rules, PLAYBOOK.routing.fallback, US_LEAD, roster, rotation=rotation)
        if decision.rep_id is None:
            picks[None] += 1
            continue
        roster.by_id[decision.rep_id].open_load += 1
        picks[roster.by_id[decision.rep_id].email.split("@")[0]] += 1
    return picks


def test_ten_thousand_leads_follow_the_weights_of_the_playbook_team():
    picks = _route_many(_na_team(), 10_000)
    for name, weight in {"ann": 1, "ben": 2, "cat": 3, "dan": 4}.items():
        assert abs(picks[name] - 10_000 * weight / 10) <= 1


def test_ten_thousand_leads_never_exceed_a_reps_capacity():
    roster = _na_team(dan=500, cat=1_000)
    picks = _route_many(roster, 10_000)
    assert picks["dan"] == 500 and picks["cat"] == 1_000
    assert all(rep.open_load <= rep.capacity for rep in roster.reps)
    assert abs(picks["ben"] - 2 * picks["ann"]) <= 2  # the others keep their proportion


def test_full_team_leaves_the_lead_waiting_with_the_reason():
    roster = _na_team(ann=0, ben=0, cat=0, dan=0)
    decision = decide_route(PLAYBOOK.routing.rules, PLAYBOOK.routing.fallback, US_LEAD, roster,
                            rotation=RotationState())
    assert decision.rep_id is None and "nobody eligible" in decision.reason


def test_rotation_keys_name_the_groups_a_lead_may_reach():
    facts = {"lead.country": "DE", "account.tier": "strategic"}
    keys = rotation_keys(PLAYBOOK.routing.rules, PLAYBOOK.routing.fallback, facts)
    assert keys == ["pod:pod-alpha", "pod:pod-beta", "team:emea-sdr", "team:na-sdr"]


def test_rotation_keys_include_the_account_owner():
    keys = rotation_keys(PLAYBOOK.routing.rules, PLAYBOOK.routing.fallback, {"account.owner": "Ann@Acme.test"})
    assert keys == ["rep:ann@acme.test", "team:na-sdr"]
