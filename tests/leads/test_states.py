import pytest
from hypothesis import given
from hypothesis import strategies as st

from revteam.errors import InvalidMove
from revteam.leads.states import (
    ALLOWED,
    DISPOSED_STATES,
    OPEN_STATES,
    LeadState,
    Move,
    allowed_moves,
    next_state,
)

S, M = LeadState, Move

EXPECTED_MOVES = [
    (S.NEW, M.CULTIVATE, S.CULTIVATING),
    (S.NEW, M.QUALIFY, S.MQL),
    (S.NEW, M.ROUTE, S.ROUTED),
    (S.CULTIVATING, M.QUALIFY, S.MQL),
    (S.CULTIVATING, M.ROUTE, S.ROUTED),
    (S.MQL, M.ROUTE, S.ROUTED),
    (S.MQL, M.CULTIVATE, S.CULTIVATING),
    (S.ROUTED, M.ACCEPT, S.ACCEPTED),
    (S.ROUTED, M.REJECT, S.REJECTED),
    (S.ROUTED, M.EXPIRE_ESCALATE, S.ROUTED),
    (S.ROUTED, M.EXPIRE_RETURN, S.CULTIVATING),
    (S.REJECTED, M.EVALUATE_CULTIVATE, S.CULTIVATING),
    (S.REJECTED, M.EVALUATE_REROUTE, S.ROUTED),
    (S.ACCEPTED, M.HANDOFF, S.ROUTED),
    (S.ACCEPTED, M.WIN, S.WON),
    (S.ACCEPTED, M.LOSE, S.LOST),
    (S.ACCEPTED, M.NOT_A_LEAD, S.NOT_A_LEAD),
    (S.LOST, M.RECULTIVATE, S.CULTIVATING),
    (S.ROUTED, M.REASSIGN, S.ROUTED),
    (S.ACCEPTED, M.REASSIGN, S.ROUTED),
    (S.MQL, M.WITHDRAW, S.CULTIVATING),
    (S.ROUTED, M.WITHDRAW, S.CULTIVATING),
    (S.ACCEPTED, M.WITHDRAW, S.CULTIVATING),
    (S.REJECTED, M.WITHDRAW, S.CULTIVATING),
]


@pytest.mark.parametrize(("state", "move", "reached"), EXPECTED_MOVES)
def test_allowed_move_reaches_its_state(state, move, reached):
    assert next_state(7, state, move) == reached


def test_table_holds_exactly_the_documented_moves():
    assert {(state, move): reached for state, move, reached in EXPECTED_MOVES} == ALLOWED


def test_moves_given_as_plain_strings_are_understood():
    assert next_state(7, "routed", "accept") == S.ACCEPTED


def test_accepting_a_won_lead_is_refused_naming_lead_state_and_move():
    with pytest.raises(InvalidMove, match=r"^lead 42 is won; cannot accept it \(no move is allowed from won\)$"):
        next_state(42, S.WON, M.ACCEPT)


def test_rejecting_an_accepted_lead_lists_the_moves_that_are_allowed():
    with pytest.raises(InvalidMove) as refused:
        next_state(42, S.ACCEPTED, M.REJECT)
    assert str(refused.value) == (
        "lead 42 is accepted; cannot reject it (allowed from accepted: handoff, win, lose, not_a_lead, reassign, withdraw)"
    )


@pytest.mark.parametrize(
    ("state", "move"),
    [
        (S.NEW, M.ACCEPT),
        (S.MQL, M.WIN),
        (S.ROUTED, M.WIN),
        (S.REJECTED, M.ACCEPT),
        (S.CULTIVATING, M.REJECT),
        (S.NOT_A_LEAD, M.RECULTIVATE),
        (S.WON, M.RECULTIVATE),
        (S.ACCEPTED, M.ACCEPT),
    ],
)
def test_move_outside_the_table_is_refused(state, move):
    with pytest.raises(InvalidMove, match=rf"^lead 9 is {state}; cannot {move} it "):
        next_state(9, state, move)


def test_unknown_move_name_is_refused_like_any_other_move():
    with pytest.raises(InvalidMove, match=r"^lead 9 is routed; cannot teleport it"):
        next_state(9, S.ROUTED, "teleport")


def test_disposed_leads_are_not_open():
    assert DISPOSED_STATES == {S.WON, S.LOST, S.NOT_A_LEAD}
    assert OPEN_STATES == set(LeadState) - DISPOSED_STATES


def test_allowed_moves_from_routed_are_accept_reject_sla_expiry_and_the_managers_moves():
    assert allowed_moves("routed") == (M.ACCEPT, M.REJECT, M.EXPIRE_ESCALATE, M.EXPIRE_RETURN, M.REASSIGN, M.WITHDRAW)


def test_only_a_lost_lead_leaves_a_disposed_state():
    leaving = {state for (state, _move) in ALLOWED if state in DISPOSED_STATES}
    assert leaving == {S.LOST}


@given(st.sampled_from(list(LeadState)), st.sampled_from(list(Move)))
def test_every_move_is_either_in_the_table_or_refused(state, move):
    if (state, move) in ALLOWED:
        assert next_state(1, state, move) == ALLOWED[(state, move)]
        assert move in allowed_moves(state)
    else:
        with pytest.raises(InvalidMove):
            next_state(1, state, move)
        assert move not in allowed_moves(state)
