"""The lead state machine: one table of allowed moves, and the one function that applies it.

"Evaluated" and "escalated" are not resting states. Evaluating a rejected lead is the move
that sends it on (`evaluate_cultivate` back to cultivation, `evaluate_reroute` to another rep,
"fair game"), and an SLA escalation is the move `expire_escalate` that leaves the lead routed
(to another rep) while the manager is told; the event recorded with each move keeps the story.
Disposed leads store their outcome as the state: won, lost or not_a_lead.
"""

from enum import StrEnum

from revteam.errors import InvalidMove


class LeadState(StrEnum):
    NEW = "new"
    CULTIVATING = "cultivating"
    MQL = "mql"
    ROUTED = "routed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WON = "won"
    LOST = "lost"
    NOT_A_LEAD = "not_a_lead"


class Move(StrEnum):
    CULTIVATE = "cultivate"
    QUALIFY = "qualify"
    ROUTE = "route"
    ACCEPT = "accept"
    REJECT = "reject"
    EVALUATE_CULTIVATE = "evaluate_cultivate"
    EVALUATE_REROUTE = "evaluate_reroute"
    EXPIRE_ESCALATE = "expire_escalate"
    EXPIRE_RETURN = "expire_return"
    HANDOFF = "handoff"
    WIN = "win"
    LOSE = "lose"
    NOT_A_LEAD = "not_a_lead"
    RECULTIVATE = "recultivate"
    REASSIGN = "reassign"
    WITHDRAW = "withdraw"


S, M = LeadState, Move

ALLOWED: dict[tuple[LeadState, Move], LeadState] = {
    (S.NEW, M.CULTIVATE): S.CULTIVATING,
    (S.NEW, M.QUALIFY): S.MQL,  # arrived already over the MQL threshold
    (S.NEW, M.ROUTE): S.ROUTED,  # manual route by an operator
    (S.CULTIVATING, M.QUALIFY): S.MQL,
    (S.CULTIVATING, M.ROUTE): S.ROUTED,  # manual route by an operator
    (S.MQL, M.ROUTE): S.ROUTED,
    (S.MQL, M.CULTIVATE): S.CULTIVATING,
    (S.ROUTED, M.ACCEPT): S.ACCEPTED,
    (S.ROUTED, M.REJECT): S.REJECTED,
    (S.ROUTED, M.EXPIRE_ESCALATE): S.ROUTED,  # manager told, offered to another rep
    (S.ROUTED, M.EXPIRE_RETURN): S.CULTIVATING,
    (S.REJECTED, M.EVALUATE_CULTIVATE): S.CULTIVATING,  # re-baked
    (S.REJECTED, M.EVALUATE_REROUTE): S.ROUTED,  # fair game
    (S.ACCEPTED, M.HANDOFF): S.ROUTED,  # assembly line: SDR hands over to an AE
    (S.ACCEPTED, M.WIN): S.WON,
    (S.ACCEPTED, M.LOSE): S.LOST,
    (S.ACCEPTED, M.NOT_A_LEAD): S.NOT_A_LEAD,
    (S.LOST, M.RECULTIVATE): S.CULTIVATING,  # good fit, after the playbook delay
    # A manager moves a rep's lead to another named rep, who accepts or rejects it afresh.
    (S.ROUTED, M.REASSIGN): S.ROUTED,
    (S.ACCEPTED, M.REASSIGN): S.ROUTED,
    # A manager takes a lead from sales back to cultivation (one by one or from a filtered list).
    (S.MQL, M.WITHDRAW): S.CULTIVATING,
    (S.ROUTED, M.WITHDRAW): S.CULTIVATING,
    (S.ACCEPTED, M.WITHDRAW): S.CULTIVATING,
    (S.REJECTED, M.WITHDRAW): S.CULTIVATING,
}

DISPOSED_STATES: frozenset[LeadState] = frozenset({S.WON, S.LOST, S.NOT_A_LEAD})
OPEN_STATES: frozenset[LeadState] = frozenset(LeadState) - DISPOSED_STATES

_MOVES_FROM: dict[LeadState, tuple[Move, ...]] = {
    state: tuple(move for (origin, move) in ALLOWED if origin == state) for state in LeadState
}


def allowed_moves(state: LeadState | str) -> tuple[Move, ...]:
    """The moves allowed from `state`, in table order."""
    return _MOVES_FROM[LeadState(state)]


def next_state(lead_id: object, state: LeadState | str, move: Move | str) -> LeadState:
    """The state a lead reaches by `move`, or InvalidMove naming the lead, its state and the move."""
    state = LeadState(state)
    try:
        return ALLOWED[(state, Move(move))]
    except (KeyError, ValueError):
        pass
    allowed = _MOVES_FROM[state]
    options = (
        f"allowed from {state}: {', '.join(allowed)}" if allowed else f"no move is allowed from {state}"
    )
    raise InvalidMove(f"lead {lead_id} is {state}; cannot {move} it ({options})")


def state_after_scoring(lead_id: object, state: LeadState | str, is_mql: bool) -> LeadState:
    """A new lead is qualified or cultivated by its first score; a cultivated one qualifies when it crosses."""
    state = LeadState(state)
    if state == LeadState.NEW:
        return next_state(lead_id, state, Move.QUALIFY if is_mql else Move.CULTIVATE)
    if state == LeadState.CULTIVATING and is_mql:
        return next_state(lead_id, state, Move.QUALIFY)
    return state
