"""An offer's lifecycle: open → accepted | rejected | expired, each decided once, by `decide_offer`.

A decision claims the offer with `UPDATE ... WHERE outcome = 'open'` and checks the row count, so
of two decisions at once (a rep's click and the expiry job, two clicks) exactly one lands and the
other gets Conflict, whatever either had read before. An accepted offer gets its first-touch
deadline from the SLA; a touch is claimed the same way, so only one counts as the first.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from revteam.errors import Conflict, InvalidMove
from revteam.routing import sla
from revteam.routing.models import Offer, OfferOutcome, Stage

DECIDED = frozenset({OfferOutcome.accepted, OfferOutcome.rejected, OfferOutcome.expired})


def open_offer(session: Session, *, lead_id: int, rep_id: int, stage: Stage, decision: dict[str, Any],
               at: datetime) -> Offer:
    """A new open offer of the lead to the rep, due for a decision by the SLA's accept deadline."""
    offer = Offer(lead_id=lead_id, rep_id=rep_id, stage=stage.value, offered_at=at,
                  accept_by=sla.accept_deadline(session, at), outcome=OfferOutcome.open.value, decision=decision)
    session.add(offer)
    session.flush()
    return offer


def _claim(session: Session, offer: Offer, unclaimed: ColumnElement[bool], values: dict[str, Any]) -> bool:
    statement = (update(Offer).where(Offer.id == offer.id, unclaimed).values(**values)
                 .execution_options(synchronize_session=False))
    if session.execute(statement).rowcount != 1:
        return False
    for name, value in values.items():
        set_committed_value(offer, name, value)  # already in the database: nothing to flush
    return True


def decide_offer(session: Session, offer: Offer, outcome: OfferOutcome, *, at: datetime,
                 reason_code: str | None = None, note: str | None = None) -> Offer:
    """Close an open offer as accepted, rejected or expired, or Conflict when it was decided already."""
    if outcome not in DECIDED:
        raise InvalidMove(f"offer {offer.id}: {outcome} is not a decision (one of {', '.join(sorted(DECIDED))})")
    values: dict[str, Any] = {"outcome": outcome.value, "decided_at": at, "reason_code": reason_code, "note": note}
    if outcome == OfferOutcome.accepted:
        values["first_touch_by"] = sla.first_touch_deadline(session, at)
    if not _claim(session, offer, Offer.outcome == OfferOutcome.open.value, values):
        current = session.scalar(select(Offer.outcome).where(Offer.id == offer.id))
        raise Conflict(f"offer {offer.id} is already {current}; cannot make it {outcome} too")
    return offer


def withdraw_offer(session: Session, offer: Offer, *, note: str | None = None) -> Offer:
    """A manager takes the lead from the rep: the open or accepted offer ends, or Conflict if it ended meanwhile."""
    live = Offer.outcome.in_([OfferOutcome.open.value, OfferOutcome.accepted.value])
    if not _claim(session, offer, live, {"outcome": OfferOutcome.withdrawn.value, "note": note}):
        raise Conflict(f"offer {offer.id} was decided by someone else meanwhile; reload and try again")
    return offer


def touch_offer(session: Session, offer: Offer, *, at: datetime) -> bool:
    """Note the rep's first contact on the offer; False when an earlier contact was the first."""
    return _claim(session, offer, Offer.touched_at.is_(None), {"touched_at": at})


def latest_offer(session: Session, lead_id: int, *outcomes: OfferOutcome) -> Offer | None:
    """The lead's most recent offer with one of these outcomes."""
    query = select(Offer).where(Offer.lead_id == lead_id)
    if outcomes:
        query = query.where(Offer.outcome.in_([outcome.value for outcome in outcomes]))
    return session.scalar(query.order_by(Offer.id.desc()).limit(1))


def excluded_rep_ids(session: Session, lead_id: int) -> set[int]:
    """Fair game: reps who rejected or let expire this lead since it last went to cultivation."""
    query = select(Offer.rep_id).where(
        Offer.lead_id == lead_id, Offer.cleared_at.is_(None),
        Offer.outcome.in_([OfferOutcome.rejected, OfferOutcome.expired]))
    return set(session.scalars(query))


# Reject reasons that say the routing target itself was wrong, not the rep's moment: the next
# decision passes over the target (team, pod, rep) that offer went to, whichever rule names it.
WRONG_TARGET_REASONS = frozenset({"wrong_territory"})


def barred_targets(session: Session, lead_id: int) -> dict[str, str]:
    """Targets this lead must not go back to since it last went to cultivation, each with why."""
    query = select(Offer).where(
        Offer.lead_id == lead_id, Offer.cleared_at.is_(None), Offer.outcome == OfferOutcome.rejected.value,
        Offer.reason_code.in_(sorted(WRONG_TARGET_REASONS))).order_by(Offer.id)
    barred = {}
    for offer in session.scalars(query):
        target = (offer.decision or {}).get("target")
        if target:
            barred[target] = (f"{(offer.decision or {}).get('rep')} rejected it as {offer.reason_code}"
                              f" after rule {(offer.decision or {}).get('rule')}")
    return barred


def clear_offers(session: Session, lead_id: int, *, at: datetime) -> None:
    """The lead went back to cultivation: earlier refusals no longer bar anyone."""
    session.execute(update(Offer).where(Offer.lead_id == lead_id, Offer.cleared_at.is_(None))
                    .values(cleared_at=at).execution_options(synchronize_session=False))
