import json
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from revteam.routing.roundrobin import RotationState, pick
from revteam.routing.rules import Rep, Roster, decide_route


def team(*weights: int, capacity: int = 100_000) -> list[Rep]:
    return [
        Rep(id=n, email=f"rep{n}@acme.test", team="sales", weight=weight, capacity=capacity)
        for n, weight in enumerate(weights, start=1)
    ]


def offer(roster: Roster, rotation: RotationState):
    """Route one lead to the sales team and book it on the rep, as the caller does."""
    decision = decide_route([], {"team": "sales"}, {}, roster, rotation=rotation)
    if decision.rep_id is not None:
        roster.by_id[decision.rep_id].open_load += 1
    return decision.rep_id


def test_ten_thousand_picks_follow_weights_one_two_three():
    reps, rotation = team(1, 2, 3), RotationState()
    counts = Counter(pick(rotation, "sales", reps).id for _ in range(10_000))
    for rep in reps:
        assert abs(counts[rep.id] / 10_000 - rep.weight / 6) < 0.01


def test_picks_interleave_rather_than_come_in_bursts():
    rotation = RotationState()
    order = [pick(rotation, "sales", team(1, 2, 3)).id for _ in range(6)]
    assert order == [3, 2, 1, 3, 2, 3]


def test_capacity_is_never_exceeded_when_the_caller_books_each_offer():
    roster, rotation = Roster(team(1, 2, 3, capacity=7)), RotationState()
    offered = [offer(roster, rotation) for _ in range(30)]
    assert all(rep.open_load == 7 for rep in roster.reps)
    assert offered[21:] == [None] * 9


def test_inactive_rep_is_never_picked():
    reps = team(5, 1, 1)
    reps[0].active = False
    roster, rotation = Roster(reps), RotationState()
    assert 1 not in {offer(roster, rotation) for _ in range(500)}


def test_rep_back_from_absence_is_not_owed_a_burst_of_leads():
    reps, rotation = team(1, 1), RotationState()
    for _ in range(50):
        pick(rotation, "sales", reps[:1])
    back = [pick(rotation, "sales", reps).id for _ in range(10)]
    assert Counter(back) == {1: 5, 2: 5}


def test_skipping_a_rep_keeps_the_others_in_proportion():
    reps, rotation = team(1, 2, 3), RotationState()
    counts = Counter(pick(rotation, "sales", reps if i % 2 else reps[:2]).id for i in range(6000))
    assert abs(counts[2] / counts[1] - 2) < 0.01


def test_groups_rotate_independently():
    reps, rotation = team(1, 1), RotationState()
    assert pick(rotation, "sales", reps).id == 1
    assert pick(rotation, "pod:north", reps).id == 1


def test_no_eligible_rep_picks_nobody():
    assert pick(RotationState(), "sales", []) is None


def test_rotation_survives_a_round_trip_through_json():
    reps, rotation = team(1, 2, 3), RotationState()
    for _ in range(4):
        pick(rotation, "sales", reps)
    restored = RotationState.from_dict(json.loads(json.dumps(rotation.to_dict())))
    assert [pick(restored, "sales", reps).id for _ in range(12)] == [pick(rotation, "sales", reps).id for _ in range(12)]


def test_empty_stored_rotation_starts_fresh():
    assert RotationState.from_dict(None) == RotationState() == RotationState.from_dict({})


@given(st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=8), st.integers(1, 5))
def test_each_full_cycle_gives_every_rep_exactly_its_weight(weights, cycles):
    reps, rotation = team(*weights), RotationState()
    counts = Counter(pick(rotation, "sales", reps).id for _ in range(cycles * sum(weights)))
    assert counts == {rep.id: cycles * rep.weight for rep in reps}


@given(st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=8), st.integers(1, 300))
def test_every_prefix_of_picks_stays_close_to_the_weights(weights, picks):
    reps, rotation, total = team(*weights), RotationState(), sum(weights)
    counts = Counter(pick(rotation, "sales", reps).id for _ in range(picks))
    for rep in reps:
        assert abs(counts[rep.id] - picks * rep.weight / total) < len(reps)
