"""Reading a customer: subscriptions, MRR history, handoff promises with their status, health."""

from datetime import date
from functools import lru_cache
from revteam.db.base import utcnow

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account
from revteam.errors import NotFound
from revteam.leads.access import may_see_account
from revteam.accounts.normalize import normalize_company
from revteam.revenue.importer import account_key
from revteam.revenue.models import (
    AccountMrrDay, Handoff, HealthCheck, Opportunity, Promise, Subscription, SubscriptionChange,
)
from revteam.users.models import User


def find_account(session: Session, reference: str, *, viewer: User | None = None) -> Account:
    """An account by id, web domain or exact company name; NotFound otherwise, and for a `viewer`
    who may not see it (the operator at the command line passes no viewer)."""
    account = _account_by_reference(session, reference.strip())
    if account is None or (viewer is not None and not may_see_account(session, viewer, account.id)):
        raise NotFound(f"no account {reference.strip()!r} (give its id, web domain or name)")
    return account


def _account_by_reference(session: Session, reference: str) -> Account | None:
    if reference.isdigit() and (account := session.get(Account, int(reference))) is not None:
        return account
    domain, name = account_key(reference)
    condition = Account.domain == domain if domain else or_(Account.name_normalized == name,
                                                            Account.name_normalized == normalize_company(reference))
    return session.scalars(select(Account).where(condition).order_by(Account.id).limit(1)).first()


@lru_cache(maxsize=8192)  # a customers page asks it per paying subscription, mostly of the same few dates
def next_renewal(first_date: date, term_months: int, today: date) -> date:
    """The first anniversary first_date + k x term (k >= 1) after today."""
    k = max(1, ((today.year - first_date.year) * 12 + today.month - first_date.month) // term_months)
    while (renewal := first_date + relativedelta(months=k * term_months)) <= today:
        k += 1
    return renewal


def _subscriptions(session: Session, account_id: int, today: date) -> list[dict]:
    rows = session.execute(
        select(SubscriptionChange.subscription_id, SubscriptionChange.date, SubscriptionChange.mrr_minor,
               SubscriptionChange.seats, SubscriptionChange.term_months, SubscriptionChange.plan)
        .where(SubscriptionChange.account_id == account_id, SubscriptionChange.date <= today)
        .order_by(SubscriptionChange.date, SubscriptionChange.id)
    ).all()
    first = dict(session.execute(select(SubscriptionChange.subscription_id, func.min(SubscriptionChange.date))
                                 .where(SubscriptionChange.account_id == account_id)
                                 .group_by(SubscriptionChange.subscription_id)).all())
    latest = {row.subscription_id: row for row in rows}
    out = []
    for subscription in session.scalars(select(Subscription).where(Subscription.account_id == account_id)
                                         .order_by(Subscription.id)):
        row = latest.get(subscription.id)
        live = row is not None and row.mrr_minor > 0
        plan = (row.plan if row else None) or subscription.plan
        out.append({"id": subscription.id, "key": subscription.key, "plan": plan,
                    "currency": subscription.currency, "mrr_minor": row.mrr_minor if row else 0,
                    "seats": row.seats if row else 0, "term_months": row.term_months if row else None,
                    "first_date": first[subscription.id].isoformat() if subscription.id in first else None,
                    "renewal_date": next_renewal(first[subscription.id], row.term_months, today).isoformat()
                    if live else None})
    return out


def _handoffs(session: Session, account_id: int) -> list[dict]:
    query = (select(Handoff, Opportunity.owner_id).join(Opportunity, Opportunity.id == Handoff.opportunity_id)
             .where(Handoff.account_id == account_id).order_by(Handoff.id))
    emails = dict(session.execute(select(User.id, User.email)).all())
    out = []
    for handoff, owner_id in session.execute(query):
        promises = session.scalars(select(Promise).where(Promise.handoff_id == handoff.id).order_by(Promise.id))
        out.append({"id": handoff.id, "opportunity_id": handoff.opportunity_id, "sold_by": emails.get(owner_id),
                    "success_plan": handoff.success_plan, "promises": [
                        {"id": p.id, "text": p.text, "status": p.status, "decided_by": emails.get(p.decided_by),
                         "note": p.note} for p in promises]})
    return out


def _health(session: Session, account_id: int) -> list[dict]:
    checks = session.scalars(select(HealthCheck).where(HealthCheck.account_id == account_id)
                             .order_by(HealthCheck.recorded_at.desc(), HealthCheck.id.desc()).limit(12))
    return [{"at": c.recorded_at.isoformat(), "success": c.success_score, "happiness": c.happiness_score,
             "at_risk": c.at_risk, "risk": c.risk, "signals": c.signals, "happiness_inputs": c.happiness,
             "recorded_by": c.recorded_by}
            for c in checks]


def customer_view(session: Session, reference: str, *, viewer: User | None = None, today: date | None = None) -> dict:
    """One customer: subscriptions, MRR history (movements), handoff promises and health, newest health first."""
    account = find_account(session, reference, viewer=viewer)
    today = today or utcnow().date()
    subscriptions = _subscriptions(session, account.id, today)
    history = session.execute(select(AccountMrrDay.day, AccountMrrDay.mrr_minor, AccountMrrDay.kind,
                                     AccountMrrDay.amount).where(AccountMrrDay.account_id == account.id)
                              .order_by(AccountMrrDay.day)).all()
    health = _health(session, account.id)
    return {
        "account": {"id": account.id, "name": account.name, "domain": account.domain},
        "mrr_minor": sum(s["mrr_minor"] for s in subscriptions),
        "subscriptions": subscriptions,
        "mrr_history": [{"date": day.isoformat(), "mrr_minor": mrr, "movement": kind, "amount": amount}
                        for day, mrr, kind, amount in history],
        "handoffs": _handoffs(session, account.id),
        "health": health[0] if health else None,
        "health_history": health,
    }
