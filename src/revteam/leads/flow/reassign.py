"""A manager's moves: reassign a lead to a named rep, or take it from sales back to cultivation.

Both check the one policy (`leads/access.py`): reassigning is the `route` action, for the lead's
current rep and for the rep it goes to; sending to cultivation is the `evaluate` action. The rep
who held the lead is told, and so is the one who gets it. In bulk, each lead is its own savepoint:
a lead refused (not the manager's, already won, changed meanwhile) is reported and the rest go on.
"""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.errors import BadInput, InvalidMove, RevteamError
from revteam.events.service import record
from revteam.jobs.service import cancel
from revteam.leads.access import acts_for, require_may_act, require_visible
from revteam.leads.flow import timers
from revteam.leads.flow.actions import return_to_cultivation
from revteam.leads.flow.moves import apply_move
from revteam.leads.models import Lead
from revteam.leads.states import Move, next_state
from revteam.notify.service import notify_user
from revteam.playbook.versions import active
from revteam.routing import offers
from revteam.routing.models import Offer, OfferOutcome, Stage
from revteam.users.models import Role, User

MAX_BULK = 500  # one request's worth: a bigger list is narrowed by its filters first


def reassignable_reps(session: Session, actor: User) -> list[User]:
    """The active reps this user may hand a lead to (their team's and pod's, for a manager)."""
    query = select(User).where(User.role == Role.sales.value, User.active.is_(True), acts_for(session, actor, User.id))
    return list(session.scalars(query.order_by(User.name, User.id)))


def _live_offer(session: Session, lead: Lead) -> Offer | None:
    offer = offers.latest_offer(session, lead.id, OfferOutcome.open, OfferOutcome.accepted)
    return offer if offer is not None and offer.rep_id == lead.owner_id else None


def _withdraw(session: Session, offer: Offer | None, why: str) -> None:
    if offer is not None:
        offers.withdraw_offer(session, offer, note=why)
        timers.stop_accept_clock(session, offer)
        timers.stop_first_touch_clock(session, offer)


def _new_rep(session: Session, email: str) -> User:
    rep = session.scalar(select(User).where(User.email == email.strip().lower()))
    if rep is None or rep.role != Role.sales or not rep.active:
        raise BadInput(f"{email} is not an active sales rep", where="rep")
    return rep


def _required(reason: str | None) -> str:
    if not (reason or "").strip():
        raise BadInput("say why: the reason is recorded and sent to the rep", where="reason")
    return reason.strip()


def reassign_lead(session: Session, *, lead_id: int, actor: User, to_rep: str, reason: str | None,
                  now: datetime) -> Offer:
    """Move a routed or accepted lead to a named rep, who gets a fresh offer to accept or reject."""
    lead = require_visible(session, actor, lead_id)
    require_may_act(session, actor, lead_id=lead.id, action="route", verb="reassign", rep_id=lead.owner_id)
    why, rep = _required(reason), _new_rep(session, to_rep)
    require_may_act(session, actor, lead_id=lead.id, action="route", verb=f"reassign to {rep.email}", rep_id=rep.id)
    if rep.id == lead.owner_id:
        raise InvalidMove(f"lead {lead.id} is already {rep.email}'s")
    next_state(lead.id, lead.state, Move.REASSIGN)
    previous, before = _live_offer(session, lead), lead.owner_id
    apply_move(session, lead, Move.REASSIGN, now=now, owner_id=rep.id)
    _withdraw(session, previous, why)
    stage = Stage(previous.stage) if previous else Stage.sdr
    was = session.get(User, before) if before else None
    offer = offers.open_offer(session, lead_id=lead.id, rep_id=rep.id, stage=stage, at=now, decision={
        "rule": None, "target": f"rep {rep.email}", "rep": rep.email, "stage": stage.value,
        "reason": f"reassigned by {actor.email} from {was.email if was else 'nobody'}: {why}"})
    timers.start_accept_clock(session, offer, warn_before=timedelta(minutes=active(session).playbook.sla.warn_before_minutes))
    record(session, type="lead.reassigned", subject_type="lead", subject_id=lead.id, actor=actor.email, at=now,
           data={"from": was.email if was else None, "to": rep.email, "reason": why, "offer": offer.id,
                 "withdrawn_offer": previous.id if previous else None})
    notify_user(session, user_id=rep.id, kind="lead.reassigned", lead_id=lead.id, now=now,
                subject=f"Lead {lead.id} reassigned to you",
                text=f"{actor.name} reassigned lead {lead.id} to you: {why}. "
                     f"Accept or reject it by {offer.accept_by:%Y-%m-%d %H:%M} UTC.")
    if was is not None:
        notify_user(session, user_id=was.id, kind="lead.reassigned", lead_id=lead.id, now=now,
                    subject=f"Lead {lead.id} moved to {rep.name}", text=f"{actor.name} moved lead {lead.id} to {rep.name}: {why}.")
    return offer


def send_to_cultivation(session: Session, *, lead_id: int, actor: User, reason: str | None, now: datetime) -> None:
    """Take a lead from sales (mql, routed, accepted or rejected) back to marketing's tracks."""
    lead = require_visible(session, actor, lead_id)
    last = offers.latest_offer(session, lead.id)
    holder = lead.owner_id or (last.rep_id if last else None)
    require_may_act(session, actor, lead_id=lead.id, action="evaluate", verb="send to cultivation", rep_id=holder)
    why = _required(reason)
    next_state(lead.id, lead.state, Move.WITHDRAW)
    previous, before = _live_offer(session, lead), lead.owner_id
    _withdraw(session, previous, why)
    cancel(session, dedupe_key=f"lead:{lead.id}:evaluate")  # a rejected lead no longer waits for evaluation
    return_to_cultivation(session, lead=lead, move=Move.WITHDRAW, actor=actor.email, now=now,
                          why=f"sent to cultivation by {actor.email}: {why}")
    if before is not None:
        notify_user(session, user_id=before, kind="lead.withdrawn", lead_id=lead.id, now=now,
                    subject=f"Lead {lead.id} went back to cultivation",
                    text=f"{actor.name} sent lead {lead.id} back to cultivation: {why}.")


def _in_bulk(session: Session, lead_ids: Sequence[int], act: Callable[[int], object]) -> dict:
    if not lead_ids:
        raise BadInput("choose at least one lead", where="lead_id")
    if len(lead_ids) > MAX_BULK:
        raise BadInput(f"at most {MAX_BULK} leads at once, not {len(lead_ids)}; narrow the list first", where="lead_id")
    done, refused = [], []
    for lead_id in dict.fromkeys(lead_ids):
        try:
            with session.begin_nested():
                act(lead_id)
            done.append(lead_id)
        except RevteamError as refusal:
            refused.append({"lead": lead_id, "why": str(refusal)})
    return {"done": done, "refused": refused}


def bulk_reassign(session: Session, *, lead_ids: Sequence[int], actor: User, to_rep: str, reason: str | None,
                  now: datetime) -> dict:
    """Reassign each lead to the rep; returns the leads done and those refused, with why."""
    _required(reason)
    _new_rep(session, to_rep)
    return _in_bulk(session, lead_ids, lambda lead_id: reassign_lead(
        session, lead_id=lead_id, actor=actor, to_rep=to_rep, reason=reason, now=now))


def bulk_send_to_cultivation(session: Session, *, lead_ids: Sequence[int], actor: User, reason: str | None,
                             now: datetime) -> dict:
    """Send each lead to cultivation; returns the leads done and those refused, with why."""
    _required(reason)
    return _in_bulk(session, lead_ids, lambda lead_id: send_to_cultivation(
        session, lead_id=lead_id, actor=actor, reason=reason, now=now))
