"""Success's word on what sales promised at closed-won: each promise confirmed or disputed.

A promise is decided once - a dispute with its reason - by a role the playbook lets write on customers (success, managers,
admin; `leads/access.py`), with a conditional UPDATE so two
people deciding at the same time cannot both win. Disputed promises count against the rep who
made them and the lead source that brought the deal (`disputes_by_rep_and_source`).
"""

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.errors import BadInput, Forbidden, InvalidMove, NotFound
from revteam.events.service import record
from revteam.leads.access import may_see_account, require_customer_writer
from revteam.leads.models import Lead
from revteam.revenue.models import Handoff, Opportunity, Promise
from revteam.users.models import User


def _active_user(session: Session, actor: str) -> User:
    user = session.scalar(select(User).where(User.email == actor.strip().lower()))
    if user is None or not user.active:
        raise Forbidden(f"{actor} is not an active revteam user")
    return user


def _visible_promise(session: Session, user: User, promise_id: int) -> Promise:
    found = session.execute(select(Promise, Handoff.account_id).join(Handoff, Handoff.id == Promise.handoff_id)
                            .where(Promise.id == promise_id)).first()
    if found is None or not may_see_account(session, user, found.account_id):
        raise NotFound(f"no promise {promise_id}")
    return found.Promise


def _decide(session: Session, *, promise_id: int, status: str, actor: str, note: str | None) -> Promise:
    user = _active_user(session, actor)
    promise = _visible_promise(session, user, promise_id)
    require_customer_writer(session, user, what="confirm or dispute promises")
    note = note.strip() if note else None
    if status == "disputed" and not note:
        raise BadInput(f"disputing promise {promise_id} needs a reason: what does not hold", where="note")
    decided = session.execute(
        update(Promise).where(Promise.id == promise_id, Promise.status == "pending")
        .values(status=status, decided_by=user.id, decided_at=utcnow(), note=note)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(promise)
    if decided != 1:
        raise InvalidMove(f"promise {promise_id} is already {promise.status}; it is decided once")
    handoff = session.get(Handoff, promise.handoff_id)
    record(session, type=f"promise.{status}", subject_type="handoff", subject_id=handoff.id, actor=user.email,
           data={"promise_id": promise_id, "text": promise.text, "note": note,
                 "opportunity_id": handoff.opportunity_id, "account_id": handoff.account_id})
    return promise


def confirm_promise(session: Session, *, promise_id: int, actor: str, note: str | None = None) -> Promise:
    """Success confirms that a promise made at the sale holds."""
    return _decide(session, promise_id=promise_id, status="confirmed", actor=actor, note=note)


def dispute_promise(session: Session, *, promise_id: int, actor: str, note: str | None) -> Promise:
    """Success disputes a promise, saying why in `note`: it shows on the rep's and the source's scorecard."""
    return _decide(session, promise_id=promise_id, status="disputed", actor=actor, note=note)


def disputes_by_rep_and_source(session: Session) -> dict[str, dict[str, dict[str, int]]]:
    """Promises made and disputed, per rep (opportunity owner e-mail) and per lead source."""
    disputed = func.sum(case((Promise.status == "disputed", 1), else_=0))
    base = (
        select(func.count(Promise.id), func.coalesce(disputed, 0))
        .join(Handoff, Handoff.id == Promise.handoff_id)
        .join(Opportunity, Opportunity.id == Handoff.opportunity_id)
    )
    by_rep = base.add_columns(User.email).outerjoin(User, User.id == Opportunity.owner_id).group_by(User.email)
    by_source = base.add_columns(Lead.source).join(Lead, Lead.id == Opportunity.lead_id).group_by(Lead.source)
    return {
        "by_rep": {email or "-": {"promises": made, "disputed": int(bad)}
                   for made, bad, email in session.execute(by_rep)},
        "by_source": {source or "-": {"promises": made, "disputed": int(bad)}
                      for made, bad, source in session.execute(by_source)},
    }
