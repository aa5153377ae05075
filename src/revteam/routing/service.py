"""Routing a stored lead: decide who gets it (pure core over locked rotations), then store the offer.

`decide` locks the rotation rows of the groups the lead may go to, reads the roster (open loads
counted after the lock, so capacity holds under concurrency) and picks the rep; nothing is stored
until the caller has moved the lead and calls `make_offer`, which saves the advanced rotation and
opens the offer. Routing moves no lead: the lead flow does, with the facts and loads it hands in.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from revteam.errors import InvalidMove
from revteam.playbook.schema import Playbook
from revteam.playbook.versions import active
from revteam.routing.models import Offer, Stage
from revteam.routing.offers import barred_targets, excluded_rep_ids, open_offer
from revteam.routing.roster import load_roster, lock_rotation, rotation_keys, save_rotation
from revteam.routing.roundrobin import RotationState
from revteam.routing.rules import RouteDecision, Roster, decide_route

OpenLoads = Callable[[Session], Mapping[int, int]]  # open leads per rep id, read when asked


class NoEligibleRep(InvalidMove):
    """No rule, target or fallback has a rep who can take the lead now."""


@dataclass(frozen=True)
class Route:
    """Routing's decision for one lead, not stored yet: the rep, why (as recorded), the advanced rotation."""

    lead_id: int
    rep_id: int
    stage: Stage
    decision: dict[str, Any]  # rule, target, rep, candidates, skipped (with reasons), reason, stage
    rotation: RotationState
    keys: list[str]


def _rules_for(playbook: Playbook, stage: Stage) -> tuple[list, Any]:
    if stage == Stage.ae:
        return playbook.routing.handoff_rules, None
    return playbook.routing.rules, playbook.routing.fallback


def _decision_data(decision: RouteDecision, roster: Roster, stage: Stage, barred: dict[str, str]) -> dict[str, Any]:
    email = lambda rep_id: roster.by_id[rep_id].email  # noqa: E731
    return {
        **({"barred": [{"target": target, "why": why} for target, why in barred.items()]} if barred else {}),
        "rule": decision.rule_id, "target": decision.target,
        "rep": email(decision.rep_id) if decision.rep_id is not None else None,
        "candidates": [email(rep_id) for rep_id in decision.candidates],
        "skipped": [{"rep": email(entry["rep"]), "reason": entry["reason"]} for entry in decision.skipped],
        "reason": decision.reason, "stage": stage.value,
    }


def decide(session: Session, *, lead_id: int, facts: Mapping[str, Any], open_loads: OpenLoads, now: datetime,
           stage: Stage = Stage.sdr) -> Route:
    """The rep the playbook picks for a lead with these facts, or NoEligibleRep (nothing stored)."""
    rules, fallback = _rules_for(active(session).playbook, stage)
    keys = rotation_keys(rules, fallback, facts)
    rotation = lock_rotation(session, keys, now=now)
    roster = load_roster(session, open_loads(session))
    barred = barred_targets(session, lead_id)
    decision = decide_route(rules, fallback, facts, roster, excluded_rep_ids=excluded_rep_ids(session, lead_id),
                            barred_targets=barred, rotation=rotation)
    if decision.rep_id is None:
        raise NoEligibleRep(f"lead {lead_id}: nobody can take it now ({decision.reason})")
    return Route(lead_id, decision.rep_id, stage, _decision_data(decision, roster, stage, barred), rotation, keys)


def make_offer(session: Session, route: Route, *, now: datetime) -> Offer:
    """Store the route: the rotation it advanced and the open offer to its rep."""
    save_rotation(session, route.rotation, route.keys, now=now)
    return open_offer(session, lead_id=route.lead_id, rep_id=route.rep_id, stage=route.stage,
                      decision=route.decision, at=now)
