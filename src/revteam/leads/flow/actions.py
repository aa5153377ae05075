"""The lead flow people drive: route, accept, reject, evaluate, hand off, touch, dispose.

Each action first checks who may act (`leads/access.py`: a lead the actor may not see is not
found), then the move against the one state machine (`leads/states.py`), so a refused move names the lead, its state and the move; then applies the move
with the version guard (a lost race is a Conflict) and records its event, all in the caller's
transaction. Offers are decided through routing's `decide_offer`; offering a lead to a rep is in
`offering.py`, timed moves (SLA expiry, return of lost leads) in `clock.py`.
"""

from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.errors import BadInput, Conflict, InvalidMove
from revteam.events.service import record
from revteam.jobs.service import cancel, enqueue
from revteam.leads.access import require_may_act, require_visible
from revteam.leads.flow import timers
from revteam.leads.flow.moves import apply_move
from revteam.leads.flow.offering import offer_lead
from revteam.leads.flow.schemas import LeadStatusOut, OfferOut
from revteam.leads.models import Lead
from revteam.leads.service import get_lead
from revteam.leads.states import LeadState, Move, next_state
from revteam.playbook.versions import active
from revteam.playbook.visibility import Action
from revteam.routing import offers
from revteam.routing.models import Offer, OfferOutcome, Stage
from revteam.routing.service import NoEligibleRep
from revteam.routing.sla import business_deadline
from revteam.users.models import User

EVALUATE_JOB, RECULTIVATE_JOB = "lead.evaluate", "lead.recultivate"
# A rejected lead waits this long (business hours) for a person to evaluate it, then the
# reject reason's default applies, so no lead dies in the rejected queue.
AUTO_EVALUATE_AFTER_HOURS = 1.0
DISPOSE_MOVES = {"won": Move.WIN, "lost": Move.LOSE, "not_a_lead": Move.NOT_A_LEAD}
Destination = Literal["cultivation", "reroute"]
ActivityKind = Literal["call", "email", "meeting", "note"]
ACTIVITY_KINDS: tuple[str, ...] = ActivityKind.__args__


def _current_offer(session: Session, lead: Lead, outcome: OfferOutcome, owner_id: int | None) -> Offer:
    offer = offers.latest_offer(session, lead.id, outcome)
    if offer is None or offer.rep_id != owner_id:
        raise InvalidMove(f"lead {lead.id} has no {outcome} offer to its owner")
    return offer


def _lead_to_act_on(session: Session, actor: User, lead_id: int, *, action: Action, verb: str) -> Lead:
    """The lead, once the actor may see it and act for its owner: permission before state."""
    lead = require_visible(session, actor, lead_id)
    require_may_act(session, actor, lead_id=lead.id, action=action, verb=verb, rep_id=lead.owner_id)
    return lead


def route_lead(session: Session, *, lead_id: int, actor: User, now: datetime) -> Offer:
    """Route a lead (new, cultivating or mql) to the rep the playbook's rules pick."""
    lead = _lead_to_act_on(session, actor, lead_id, action="route", verb="route")
    next_state(lead.id, lead.state, Move.ROUTE)
    return offer_lead(session, lead=lead, move=Move.ROUTE, actor=actor.email, now=now)


def accept_lead(session: Session, *, lead_id: int, actor: User, now: datetime) -> Offer:
    """The rep takes the lead; the first-touch clock starts."""
    lead = _lead_to_act_on(session, actor, lead_id, action="work", verb="accept")
    next_state(lead.id, lead.state, Move.ACCEPT)
    # The move first: a second click that read the lead before the first one committed gets
    # Conflict from it, rather than finding the offer already decided.
    apply_move(session, lead, Move.ACCEPT, now=now)
    offer = _current_offer(session, lead, OfferOutcome.open, lead.owner_id)
    offers.decide_offer(session, offer, OfferOutcome.accepted, at=now)
    timers.stop_accept_clock(session, offer)
    timers.start_first_touch_clock(session, offer)
    record(session, type="lead.accepted", subject_type="lead", subject_id=lead.id, actor=actor.email, at=now,
           data={"offer": offer.id, "stage": offer.stage, "first_touch_by": offer.first_touch_by.isoformat()})
    return offer


def _reject_reason(session: Session, code: str | None):
    reason = active(session).playbook.reject_reason(code) if code else None
    if reason is None:
        codes = ", ".join(r.code for r in active(session).playbook.reject_reasons)
        problem = f"unknown reject reason {code!r}" if code else "a reject needs a reason code"
        raise BadInput(f"{problem}; the playbook has: {codes}", where="reason")
    return reason


def reject_lead(session: Session, *, lead_id: int, actor: User, reason: str | None, now: datetime,
                note: str | None = None) -> Offer:
    """The rep refuses the lead with a playbook reason; it waits for evaluation."""
    lead = _lead_to_act_on(session, actor, lead_id, action="work", verb="reject")
    next_state(lead.id, lead.state, Move.REJECT)
    then = _reject_reason(session, reason).then
    owner_id = lead.owner_id
    apply_move(session, lead, Move.REJECT, now=now, owner_id=None)  # first, as in accept_lead
    offer = _current_offer(session, lead, OfferOutcome.open, owner_id)
    offers.decide_offer(session, offer, OfferOutcome.rejected, at=now, reason_code=reason, note=note)
    timers.stop_accept_clock(session, offer)
    record(session, type="lead.rejected", subject_type="lead", subject_id=lead.id, actor=actor.email, at=now,
           data={"offer": offer.id, "rep": actor.email if actor.id == offer.rep_id else _email(session, offer.rep_id),
                 "reason": reason, "note": note, "then": then})
    enqueue(session, kind=EVALUATE_JOB, run_at=business_deadline(session, now, AUTO_EVALUATE_AFTER_HOURS),
            payload={"lead_id": lead.id}, dedupe_key=f"lead:{lead.id}:evaluate")
    return offer


def _email(session: Session, user_id: int) -> str:
    return session.scalar(select(User.email).where(User.id == user_id))


def evaluate_lead(session: Session, *, lead_id: int, actor: User, now: datetime,
                  to: Destination | None = None) -> str:
    """Send a rejected lead back to cultivation or to another rep; the reject reason decides by default."""
    lead = require_visible(session, actor, lead_id)
    last = offers.latest_offer(session, lead.id)
    require_may_act(session, actor, lead_id=lead.id, action="evaluate", verb="evaluate",
                    rep_id=last.rep_id if last else None)
    next_state(lead.id, lead.state, Move.EVALUATE_REROUTE if to == "reroute" else Move.EVALUATE_CULTIVATE)
    offer = _rejected_offer(session, lead)
    return settle_rejection(session, lead=lead, offer=offer, actor=actor.email, now=now, to=to)


def _rejected_offer(session: Session, lead: Lead) -> Offer:
    offer = offers.latest_offer(session, lead.id)
    if offer is None or offer.outcome != OfferOutcome.rejected:
        raise InvalidMove(f"lead {lead.id} is {lead.state} but its last offer was not rejected")
    return offer


def settle_rejection(session: Session, *, lead: Lead, offer: Offer, actor: str, now: datetime,
                     to: Destination | None = None) -> str:
    """Evaluate a rejected lead (people and the auto-evaluation job); returns where it went."""
    if to not in (None, "cultivation", "reroute"):
        raise BadInput(f"evaluate to 'cultivation' or 'reroute', not {to!r}", where="to")
    default = _reject_reason(session, offer.reason_code).then
    to = to or ("reroute" if default == "reroute" else "cultivation")
    cancel(session, dedupe_key=f"lead:{lead.id}:evaluate")
    record(session, type="lead.evaluated", subject_type="lead", subject_id=lead.id, actor=actor, at=now,
           data={"to": to, "reason": offer.reason_code, "default": default, "offer": offer.id})
    why = f"reject reason {offer.reason_code}"
    if to == "reroute":
        try:
            offer_lead(session, lead=lead, move=Move.EVALUATE_REROUTE, actor=actor, now=now, stage=Stage(offer.stage))
            return "reroute"
        except NoEligibleRep as nobody:
            why = str(nobody)
    return_to_cultivation(session, lead=lead, move=Move.EVALUATE_CULTIVATE, actor=actor, now=now, why=why)
    return "cultivation"


def return_to_cultivation(session: Session, *, lead: Lead, move: Move, actor: str, now: datetime, why: str) -> None:
    """Back to marketing's tracks ("re-baked"); earlier refusals no longer bar anyone."""
    apply_move(session, lead, move, now=now, owner_id=None)
    offers.clear_offers(session, lead.id, at=now)
    record(session, type="lead.returned", subject_type="lead", subject_id=lead.id, actor=actor, at=now,
           data={"why": why})


def handoff_lead(session: Session, *, lead_id: int, actor: User, now: datetime) -> Offer:
    """Assembly line: the SDR hands a qualified lead to an AE by the playbook's handoff rules."""
    lead = _lead_to_act_on(session, actor, lead_id, action="work", verb="hand off")
    next_state(lead.id, lead.state, Move.HANDOFF)
    if active(session).playbook.routing.model != "assembly_line":
        raise InvalidMove(f"lead {lead.id}: handoff needs the assembly_line team model, not pods")
    offer = _current_offer(session, lead, OfferOutcome.accepted, lead.owner_id)
    if offer.stage != Stage.sdr:
        raise InvalidMove(f"lead {lead.id} is already with an account executive; cannot hand it off again")
    timers.stop_first_touch_clock(session, offer)
    record(session, type="lead.handed_off", subject_type="lead", subject_id=lead.id, actor=actor.email, at=now,
           data={"from": _email(session, offer.rep_id), "offer": offer.id})
    return offer_lead(session, lead=lead, move=Move.HANDOFF, actor=actor.email, now=now, stage=Stage.ae)


def touch_lead(session: Session, *, lead_id: int, actor: User, now: datetime, kind: ActivityKind = "call",
               note: str | None = None) -> Offer:
    """The rep logs a call, e-mail, meeting or note; the first contact stops the first-touch clock.

    A note is not contact with the person, so it never stops the clock (no SLA met by writing a note)."""
    lead = _lead_to_act_on(session, actor, lead_id, action="work", verb="touch")
    if kind not in ACTIVITY_KINDS:
        raise BadInput(f"an activity is one of {', '.join(ACTIVITY_KINDS)}, not {kind!r}", where="kind")
    if lead.state != LeadState.ACCEPTED:
        raise InvalidMove(f"lead {lead.id} is {lead.state}; cannot touch it (only accepted leads are worked)")
    offer = _current_offer(session, lead, OfferOutcome.accepted, lead.owner_id)
    if kind == "note":
        if not (note or "").strip():
            raise BadInput("a note needs its text", where="note")
        record(session, type="lead.noted", subject_type="lead", subject_id=lead.id, actor=actor.email, at=now,
               data={"note": note.strip(), "offer": offer.id})
        return offer
    first = offers.touch_offer(session, offer, at=now)
    if first:
        timers.stop_first_touch_clock(session, offer)
    record(session, type="lead.contacted", subject_type="lead", subject_id=lead.id, actor=actor.email, at=now,
           data={"kind": kind, "first": first, "note": (note or "").strip() or None, "offer": offer.id})
    return offer


def lost_reason_for(session: Session, outcome: str | None, code: str | None):
    if outcome not in DISPOSE_MOVES:
        raise BadInput(f"outcome must be one of {', '.join(DISPOSE_MOVES)}, not {outcome!r}", where="outcome")
    if outcome != "lost":
        if code:
            raise BadInput(f"a reason is only given for outcome lost, not {outcome}", where="reason")
        return None
    playbook = active(session).playbook
    reason = playbook.lost_reason(code) if code else None
    if reason is None:
        codes = ", ".join(r.code for r in playbook.lost_reasons)
        raise BadInput(f"outcome lost needs a lost reason from the playbook ({codes}), not {code!r}", where="reason")
    return reason


def dispose_lead(session: Session, *, lead_id: int, actor: User, outcome: str | None, now: datetime,
                 reason: str | None = None) -> LeadState:
    """Close an accepted lead: won, lost (good-fit losses come back to cultivation later) or not a lead."""
    lead = _lead_to_act_on(session, actor, lead_id, action="work", verb="dispose")
    lost_reason_for(session, outcome, reason)
    next_state(lead.id, lead.state, DISPOSE_MOVES[outcome])
    _current_offer(session, lead, OfferOutcome.accepted, lead.owner_id)
    return close_lead(session, lead, outcome=outcome, reason=reason, actor=actor.email, now=now)


def close_lead(session: Session, lead: Lead, *, outcome: str, reason: str | None, actor: str, now: datetime,
               data: dict | None = None) -> LeadState:
    """Move a lead to its outcome: stop its first-touch clock, schedule a good-fit return, record it.

    The one place a lead is disposed, whether by `dispose_lead` or by closing its opportunity."""
    lost = lost_reason_for(session, outcome, reason)
    state = apply_move(session, lead, DISPOSE_MOVES[outcome], now=now)
    offer = offers.latest_offer(session, lead.id, OfferOutcome.accepted)
    if offer is not None:
        timers.stop_first_touch_clock(session, offer)
    returns_at = None
    if lost is not None and lost.good_fit_returns_after_days:
        returns_at = now + timedelta(days=lost.good_fit_returns_after_days)
        enqueue(session, kind=RECULTIVATE_JOB, run_at=returns_at, payload={"lead_id": lead.id},
                dedupe_key=f"lead:{lead.id}:recultivate")
    record(session, type="lead.disposed", subject_type="lead", subject_id=lead.id, actor=actor, at=now,
           data={"outcome": outcome, "reason": reason, "returns_at": returns_at.isoformat() if returns_at else None,
                 **(data or {})})
    return state


def route_ready_leads(session: Session, *, now: datetime, limit: int = 100, actor: str = "system:routing") -> dict:
    """Route up to `limit` MQLs waiting for a rep, oldest first; leads nobody can take now are passed
    over (not counted against the limit) and wait for the next run."""
    counts, after_id = {"routed": 0, "waiting": 0, "conflicts": 0}, 0
    while counts["routed"] < limit:
        query = select(Lead.id).where(Lead.state == LeadState.MQL, Lead.id > after_id).order_by(Lead.id)
        ids = session.scalars(query.limit(limit - counts["routed"])).all()
        if not ids:
            break
        for lead_id in ids:
            counts[_route_one(session, lead_id, actor=actor, now=now)] += 1
        after_id = ids[-1]
    return counts


def _route_one(session: Session, lead_id: int, *, actor: str, now: datetime) -> str:
    # offer_lead changes nothing before its version-guarded move, so a refusal needs no savepoint.
    try:
        offer_lead(session, lead=get_lead(session, lead_id), move=Move.ROUTE, actor=actor, now=now)
        return "routed"
    except NoEligibleRep:
        return "waiting"
    except Conflict:
        return "conflicts"


def lead_status(session: Session, lead_id: int) -> LeadStatusOut:
    """The lead's state, owner and latest offer, as an action answers."""
    lead = get_lead(session, lead_id)
    offer = offers.latest_offer(session, lead.id)
    offer_out = None
    if offer is not None:
        offer_out = OfferOut(
            id=offer.id, rep=_email(session, offer.rep_id), stage=offer.stage, outcome=offer.outcome,
            offered_at=offer.offered_at, accept_by=offer.accept_by, first_touch_by=offer.first_touch_by,
            touched_at=offer.touched_at, reason_code=offer.reason_code)
    owner = _email(session, lead.owner_id) if lead.owner_id else None
    return LeadStatusOut(id=lead.id, state=lead.state, owner=owner, version=lead.version, offer=offer_out)
