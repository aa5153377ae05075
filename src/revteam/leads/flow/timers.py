"""An offer's SLA clocks as due jobs: started and stopped by the flow, run by `leads/flow/jobs.py`.

The deadlines themselves are the SLA's (`routing/sla.py`), stored on the offer; a clock is the
job due at that deadline, keyed by offer so the flow can cancel it when the rep acts in time.
"""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from revteam.jobs.service import cancel, enqueue
from revteam.routing.models import Offer

ACCEPT_WARNING, ACCEPT_EXPIRY, FIRST_TOUCH_EXPIRY = "sla.accept_warning", "sla.accept_expiry", "sla.first_touch_expiry"


def job_key(offer_id: int, kind: str) -> str:
    """The dedupe key of an offer's SLA job, so it can be cancelled."""
    return f"offer:{offer_id}:{kind}"


def _start(session: Session, offer: Offer, kind: str, run_at: datetime) -> None:
    enqueue(session, kind=kind, run_at=run_at, payload={"offer_id": offer.id, "lead_id": offer.lead_id},
            dedupe_key=job_key(offer.id, kind))


def start_accept_clock(session: Session, offer: Offer, *, warn_before: timedelta) -> None:
    """Offered: warn the rep `warn_before` the accept deadline (when that is after the offer), expire at it."""
    if warn_before and offer.accept_by - warn_before > offer.offered_at:
        _start(session, offer, ACCEPT_WARNING, offer.accept_by - warn_before)
    _start(session, offer, ACCEPT_EXPIRY, offer.accept_by)


def stop_accept_clock(session: Session, offer: Offer) -> None:
    """The rep decided in time: no warning, no expiry."""
    cancel(session, dedupe_key=job_key(offer.id, ACCEPT_WARNING))
    cancel(session, dedupe_key=job_key(offer.id, ACCEPT_EXPIRY))


def start_first_touch_clock(session: Session, offer: Offer) -> None:
    """Accepted: escalate when the rep has made no contact by the offer's first-touch deadline."""
    _start(session, offer, FIRST_TOUCH_EXPIRY, offer.first_touch_by)


def stop_first_touch_clock(session: Session, offer: Offer) -> None:
    """First contact made (or the lead left the rep): no escalation."""
    cancel(session, dedupe_key=job_key(offer.id, FIRST_TOUCH_EXPIRY))
