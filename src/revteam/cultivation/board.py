"""What the cultivation board reads: leads in cultivation, rejected leads waiting, SLA breaches."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.cultivation.queries import cultivating_by_track
from revteam.events.models import Event
from revteam.leads.access import visible_leads
from revteam.leads.models import Lead
from revteam.leads.states import LeadState
from revteam.playbook.versions import active
from revteam.routing import sla
from revteam.routing.models import Offer, OfferOutcome
from revteam.users.models import User

NOT_ENROLLED = "none"  # the lead list's `track` filter for cultivating leads in no track


def _track_row(stage: str, track_id: str, name: str, counts: dict) -> dict[str, Any]:
    return {"stage": stage, "track": track_id, "name": name,
            "leads": counts.pop((track_id, False), 0), "finished": counts.pop((track_id, True), 0)}


def cultivation_counts(session: Session, viewer: User) -> list[dict[str, Any]]:
    """Cultivating leads the viewer may see by buying stage and track (in it, and finished with it), in
    playbook order; then tracks no longer in the playbook, then the leads not enrolled yet."""
    playbook = active(session).playbook
    counts = cultivating_by_track(session, visible_leads(session, viewer))
    not_enrolled = counts.pop((None, False), 0)
    rows = [_track_row(stage, track.id, track.name, counts)
            for stage in playbook.buying_stages for track in playbook.tracks if track.stage == stage]
    rows += [_track_row("retired", track_id, track_id, counts) for track_id in sorted({key[0] for key in counts})]
    rows.append({"stage": "—", "track": NOT_ENROLLED, "name": "Not enrolled yet", "leads": not_enrolled, "finished": 0})
    return rows


def _seen(session: Session, viewer: User) -> ColumnElement[bool]:
    """The viewer's sight of the few leads a board figure reaches (rejected, in breach, escalated), each
    checked by its own offers: read whole, a manager's team's offers were gathered anew by every one
    of these statements (110-120 ms each on `large`)."""
    return visible_leads(session, viewer, few=True)


def rejected_count(session: Session, viewer: User) -> int:
    """How many rejected leads the viewer may see wait for evaluation (the board's figure, all of them)."""
    return session.scalar(select(func.count()).select_from(Lead)
                          .where(Lead.state == LeadState.REJECTED, _seen(session, viewer)))


def in_sla_breach(now: datetime) -> ColumnElement[bool]:
    """Leads (a condition on `Lead`) whose rep holds an offer of theirs in breach of its SLA (`sla.breached`).

    Asked as (lead, owner) IN the breaching offers rather than a correlated EXISTS: SQLite without
    statistics probed each lead's EXISTS through the rep's every offer (22 s on `medium`, 37 ms so)."""
    breaching = select(Offer.lead_id, Offer.rep_id).where(sla.breached(now))
    return tuple_(Lead.id, Lead.owner_id).in_(breaching)


def breached_count(session: Session, viewer: User, *, now: datetime) -> int:
    """How many leads the viewer may see are in breach of an SLA (the board's figure)."""
    return session.scalar(select(func.count()).select_from(Lead).where(in_sla_breach(now), _seen(session, viewer)))


def rejected_waiting(session: Session, viewer: User) -> list[dict[str, Any]]:
    """Rejected leads the viewer may see waiting for evaluation, oldest rejection first, with who and why."""
    last_offer = select(func.max(Offer.id)).where(Offer.lead_id == Lead.id).correlate(Lead).scalar_subquery()
    query = (select(Lead, Person, Account.name.label("account"), Offer, User.name.label("rep"))
             .join(Person, Person.id == Lead.person_id).outerjoin(Account, Account.id == Lead.account_id)
             .join(Offer, Offer.id == last_offer).join(User, User.id == Offer.rep_id)
             .where(Lead.state == LeadState.REJECTED, _seen(session, viewer))
             .order_by(Offer.decided_at, Lead.id).limit(200))
    return [{"lead": lead, "person": person, "account": account, "offer": offer, "rep": rep}
            for lead, person, account, offer, rep in session.execute(query)]


def sla_breaches(session: Session, viewer: User, *, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
    """Offers on leads the viewer may see in breach of their SLA (`sla.breached`) while the rep still
    has the lead, oldest first."""
    query = (select(Offer, User.name.label("rep"), Lead.state)
             .join(User, User.id == Offer.rep_id).join(Lead, Lead.id == Offer.lead_id)
             .where(sla.breached(now), Lead.owner_id == Offer.rep_id, _seen(session, viewer))
             .order_by(Offer.offered_at).limit(limit))
    return [{"offer": offer, "rep": rep, "state": state,
             "kind": "accept" if offer.outcome == OfferOutcome.open else "first touch",
             "deadline": offer.accept_by if offer.outcome == OfferOutcome.open else offer.first_touch_by}
            for offer, rep, state in session.execute(query)]


def recent_escalations(session: Session, viewer: User, *, limit: int = 20) -> list[Event]:
    """The latest SLA escalations recorded by the clock, on leads the viewer may see."""
    # Each escalation's lead is checked as the newest are read, not the viewer's every lead gathered first.
    query = (select(Event).join(Lead, Lead.id == Event.subject_id)
             .where(Event.type == "lead.escalated", _seen(session, viewer)))
    return list(session.scalars(query.order_by(Event.id.desc()).limit(limit)))
