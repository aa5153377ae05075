"""Routing a stored lead: decide (pure core), record the offer and why, start its SLA clocks.

The caller has checked who may route and that the lead's state allows `move`; this module
locks the rotation rows of the groups the lead may go to, builds the roster (open loads read
after the lock, so capacity holds under concurrency), decides, moves the lead to the rep,
writes the offer and the `lead.routed` event, enqueues the SLA jobs and tells the rep.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from revteam.errors import InvalidMove
from revteam.events.service import record
from revteam.jobs.service import cancel, enqueue
from revteam.leads.scoring.facts import facts_for_lead
from revteam.leads.flow.moves import apply_move
from revteam.leads.models import Lead
from revteam.leads.states import Move
from revteam.notify.service import notify_user
from revteam.playbook.schema import Playbook
from revteam.playbook.versions import active
from revteam.routing.models import Offer, OfferOutcome, Stage
from revteam.routing.roster import load_roster, lock_rotation, rotation_keys, save_rotation
from revteam.routing.rules import RouteDecision, Roster, decide_route
from revteam.routing.sla import BusinessCalendar, add_business_hours

ACCEPT_WARNING, ACCEPT_EXPIRY, FIRST_TOUCH_EXPIRY = "sla.accept_warning", "sla.accept_expiry", "sla.first_touch_expiry"


class NoEligibleRep(InvalidMove):
    """No rule, target or fallback has a rep who can take the lead now."""


def sla_calendar(session: Session, *, year: int) -> BusinessCalendar:
    """The playbook's business calendar (time zone, hours, holidays), built once per session."""
    current = active(session)
    key = ("revteam.sla_calendar", current.version_id, year)
    if key not in session.info:
        hours = current.playbook.sla.business_hours
        if hours.holidays_country:
            session.info[key] = BusinessCalendar.with_public_holidays(
                hours.timezone, hours.start, hours.end, country=hours.holidays_country,
                years=range(year - 1, year + 3), days=hours.days, extra=hours.holidays)
        else:
            session.info[key] = BusinessCalendar(hours.timezone, hours.start, hours.end,
                                                 frozenset(hours.days), frozenset(hours.holidays))
    return session.info[key]


def business_deadline(session: Session, start: datetime, hours: float) -> datetime:
    """`hours` business hours after `start`, on the playbook's calendar."""
    return add_business_hours(sla_calendar(session, year=start.year), start, hours)


def excluded_rep_ids(session: Session, lead_id: int) -> set[int]:
    """Fair game: reps who rejected or let expire this lead since it last went to cultivation."""
    query = select(Offer.rep_id).where(
        Offer.lead_id == lead_id, Offer.cleared_at.is_(None),
        Offer.outcome.in_([OfferOutcome.rejected, OfferOutcome.expired]))
    return set(session.scalars(query))


def clear_offers(session: Session, lead_id: int, *, now: datetime) -> None:
    """The lead went back to cultivation: earlier refusals no longer bar anyone."""
    session.execute(update(Offer).where(Offer.lead_id == lead_id, Offer.cleared_at.is_(None))
                    .values(cleared_at=now).execution_options(synchronize_session=False))


def _rules_for(playbook: Playbook, stage: Stage) -> tuple[list, Any]:
    if stage == Stage.ae:
        return playbook.routing.handoff_rules, None
    return playbook.routing.rules, playbook.routing.fallback


def _decision_data(decision: RouteDecision, roster: Roster, stage: Stage) -> dict[str, Any]:
    email = lambda rep_id: roster.by_id[rep_id].email  # noqa: E731
    return {
        "rule": decision.rule_id, "target": decision.target,
        "rep": email(decision.rep_id) if decision.rep_id is not None else None,
        "candidates": [email(rep_id) for rep_id in decision.candidates],
        "skipped": [{"rep": email(entry["rep"]), "reason": entry["reason"]} for entry in decision.skipped],
        "reason": decision.reason, "stage": stage.value,
    }


def offer_lead(session: Session, *, lead: Lead, move: Move, actor: str, now: datetime,
               stage: Stage = Stage.sdr) -> Offer:
    """Route the lead by `move` to the rep the playbook picks, or NoEligibleRep (nothing changed)."""
    playbook = active(session).playbook
    rules, fallback = _rules_for(playbook, stage)
    facts = facts_for_lead(session, lead.id)
    keys = rotation_keys(rules, fallback, facts)
    rotation = lock_rotation(session, keys, now=now)
    roster = load_roster(session)
    decision = decide_route(rules, fallback, facts, roster,
                            excluded_rep_ids=excluded_rep_ids(session, lead.id), rotation=rotation)
    if decision.rep_id is None:
        raise NoEligibleRep(f"lead {lead.id}: nobody can take it now ({decision.reason})")
    apply_move(session, lead, move, now=now, owner_id=decision.rep_id)
    save_rotation(session, rotation, keys, now=now)
    data = _decision_data(decision, roster, stage)
    offer = Offer(lead_id=lead.id, rep_id=decision.rep_id, stage=stage.value, offered_at=now,
                  accept_by=business_deadline(session, now, playbook.sla.accept_within_hours),
                  outcome=OfferOutcome.open.value, decision=data)
    session.add(offer)
    session.flush()
    record(session, type="lead.routed", subject_type="lead", subject_id=lead.id, actor=actor, at=now,
           data={**data, "offer": offer.id, "accept_by": offer.accept_by.isoformat()})
    _start_accept_clock(session, offer, warn_before=timedelta(minutes=playbook.sla.warn_before_minutes))
    notify_user(session, user_id=offer.rep_id, kind="lead.routed", lead_id=lead.id, now=now,
                subject=f"New lead {lead.id} for you",
                text=f"Lead {lead.id} was routed to you ({data['reason']}). "
                     f"Accept or reject it by {offer.accept_by:%Y-%m-%d %H:%M} UTC.")
    return offer


def job_key(offer_id: int, kind: str) -> str:
    """The dedupe key of an offer's SLA job, so it can be cancelled."""
    return f"offer:{offer_id}:{kind}"


def _start_accept_clock(session: Session, offer: Offer, *, warn_before: timedelta) -> None:
    payload = {"offer_id": offer.id, "lead_id": offer.lead_id}
    if warn_before and offer.accept_by - warn_before > offer.offered_at:
        enqueue(session, kind=ACCEPT_WARNING, run_at=offer.accept_by - warn_before, payload=payload,
                dedupe_key=job_key(offer.id, ACCEPT_WARNING))
    enqueue(session, kind=ACCEPT_EXPIRY, run_at=offer.accept_by, payload=payload,
            dedupe_key=job_key(offer.id, ACCEPT_EXPIRY))


def stop_accept_clock(session: Session, offer: Offer) -> None:
    """The rep decided in time: no warning, no expiry."""
    cancel(session, dedupe_key=job_key(offer.id, ACCEPT_WARNING))
    cancel(session, dedupe_key=job_key(offer.id, ACCEPT_EXPIRY))


def start_first_touch_clock(session: Session, offer: Offer, *, now: datetime) -> None:
    """Accepted: the rep must make first contact within the playbook's business hours."""
    offer.first_touch_by = business_deadline(session, now, active(session).playbook.sla.first_touch_within_hours)
    enqueue(session, kind=FIRST_TOUCH_EXPIRY, run_at=offer.first_touch_by,
            payload={"offer_id": offer.id, "lead_id": offer.lead_id},
            dedupe_key=job_key(offer.id, FIRST_TOUCH_EXPIRY))


def stop_first_touch_clock(session: Session, offer: Offer) -> None:
    """First contact made (or the lead left the rep): no escalation."""
    cancel(session, dedupe_key=job_key(offer.id, FIRST_TOUCH_EXPIRY))


def latest_offer(session: Session, lead_id: int, *outcomes: OfferOutcome) -> Offer | None:
    """The lead's most recent offer with one of these outcomes."""
    query = select(Offer).where(Offer.lead_id == lead_id)
    if outcomes:
        query = query.where(Offer.outcome.in_([outcome.value for outcome in outcomes]))
    return session.scalar(query.order_by(Offer.id.desc()).limit(1))
