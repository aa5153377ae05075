"""Opportunities from accepted leads to closed-won (customer, subscription, handoff) or lost."""

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.db.base import utcnow
from revteam.db.locks import hold_intake_lock
from revteam.errors import BadInput, Conflict, InvalidMove, NotFound
from revteam.events.service import record
from revteam.leads.access import require_may_act, require_visible
from revteam.leads.flow.actions import close_lead, lost_reason_for
from revteam.leads.models import Lead
from revteam.accounts.normalize import normalize_domain
from revteam.leads.states import LeadState
from revteam.revenue.models import Handoff, Opportunity, Promise, Subscription, SubscriptionChange
from revteam.revenue.rollups import refresh_accounts
from revteam.revenue.rows import REPORTING_CURRENCY
from revteam.users.models import User


def get_opportunity(session: Session, opportunity_id: int) -> Opportunity:
    """The opportunity, or NotFound."""
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None:
        raise NotFound(f"no opportunity {opportunity_id}")
    return opportunity


def lead_opportunity(session: Session, lead_id: int) -> Opportunity | None:
    """The lead's opportunity (one per lead), if it has one."""
    return session.scalar(select(Opportunity).where(Opportunity.lead_id == lead_id))


def require_deal_owner(session: Session, actor: User, *, lead_id: int, action: str) -> None:
    """Deals are the work of the rep on the lead: they, whoever acts for them, or an admin (the visibility policy)."""
    lead = require_visible(session, actor, lead_id)
    require_may_act(session, actor, lead_id=lead_id, action="work", verb=action, rep_id=lead.owner_id)


def require_opportunity_owner(session: Session, actor: User, *, opportunity_id: int, action: str) -> None:
    """As require_deal_owner, for the lead the opportunity was opened on."""
    lead_id = get_opportunity(session, opportunity_id).lead_id
    require_deal_owner(session, actor, lead_id=lead_id, action=action)


def open_opportunity(session: Session, *, lead_id: int, amount_minor: int, expected_close: date,
                     actor: str) -> Opportunity:
    """Open the opportunity of an accepted lead (one per lead)."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(f"no lead {lead_id}")
    if lead.state != LeadState.ACCEPTED:
        raise InvalidMove(f"lead {lead_id} is {lead.state}; only an accepted lead becomes an opportunity")
    if amount_minor < 0:
        raise BadInput(f"amount must not be negative, got {amount_minor}", where="amount")
    if session.scalar(select(Opportunity.id).where(Opportunity.lead_id == lead_id)) is not None:
        raise Conflict(f"lead {lead_id} already has an opportunity")
    opportunity = Opportunity(lead_id=lead_id, account_id=lead.account_id, owner_id=lead.owner_id, stage="open",
                              amount_minor=amount_minor, currency=REPORTING_CURRENCY, expected_close=expected_close)
    session.add(opportunity)
    session.flush()
    record(session, type="opportunity.opened", subject_type="opportunity", subject_id=opportunity.id, actor=actor,
           data={"lead_id": lead_id, "amount_minor": amount_minor, "expected_close": expected_close.isoformat()})
    return opportunity


def _close(session: Session, opportunity: Opportunity, *, stage: str, closed_on: date, reason: str | None) -> None:
    """Claim the open opportunity with a conditional UPDATE: of two closers, one wins."""
    claimed = session.execute(
        update(Opportunity).where(Opportunity.id == opportunity.id, Opportunity.stage == "open")
        .values(stage=stage, closed_on=closed_on, lost_reason=reason).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        session.refresh(opportunity)
        raise InvalidMove(f"opportunity {opportunity.id} is {opportunity.stage}; only an open one can be closed")
    session.refresh(opportunity)


def _customer_account(session: Session, lead: Lead, actor: str) -> int:
    """The lead's account, or a new one named after the person's e-mail domain."""
    if lead.account_id is not None:
        return lead.account_id
    hold_intake_lock(session)  # two closings on one new domain must not both create its account
    person = session.get(Person, lead.person_id)
    domain = normalize_domain((person.email or "").rpartition("@")[2]) if person else None
    known = session.scalar(select(Account.id).where(Account.domain == domain)) if domain else None
    if known is not None:
        return known
    name = domain or f"customer of lead {lead.id}"
    account = Account(name=name, name_normalized=name, domain=domain, is_competitor=False)
    session.add(account)
    session.flush()
    record(session, type="account.created", subject_type="account", subject_id=account.id, actor=actor,
           data={"name": name, "by": "closed-won", "lead_id": lead.id})
    return account.id


def record_change(session: Session, *, subscription: Subscription, day: date, mrr_minor: int, seats: int,
                  term_months: int, plan: str | None, actor: str) -> SubscriptionChange:
    """One dated change of a subscription (MRR 0 ends it), its event, and the rollups kept in step."""
    change = SubscriptionChange(subscription_id=subscription.id, account_id=subscription.account_id, date=day,
                                mrr_minor=mrr_minor, seats=seats, term_months=term_months,
                                currency=subscription.currency, plan=plan)
    session.add(change)
    session.flush()
    record(session, type="subscription.changed", subject_type="subscription", subject_id=subscription.id,
           actor=actor, data={"date": day.isoformat(), "mrr_minor": mrr_minor, "seats": seats,
                              "term_months": term_months, "plan": plan})
    refresh_accounts(session, [subscription.account_id])
    return change


def _check_terms(seats: int, mrr_minor: int, term_months: int, promises: list[str]) -> None:
    if mrr_minor < 0 or seats < 0:
        raise BadInput("MRR and seats must not be negative", where="terms")
    if term_months < 1:
        raise BadInput(f"term must be at least 1 month, got {term_months}", where="term_months")
    if any(not promise.strip() for promise in promises):
        raise BadInput("a promise is empty", where="promises")


def close_won(session: Session, *, opportunity_id: int, plan: str, seats: int, mrr_minor: int, term_months: int,
              start: date, promises: list[str], actor: str, success_plan: str | None = None) -> Handoff:
    """Win: the lead is won, the customer gets a subscription from `start`, and success a handoff."""
    _check_terms(seats, mrr_minor, term_months, promises)
    opportunity = get_opportunity(session, opportunity_id)
    _close(session, opportunity, stage="won", closed_on=start, reason=None)
    lead = session.get(Lead, opportunity.lead_id)
    close_lead(session, lead, outcome="won", reason=None, actor=actor, now=utcnow(),
               data={"opportunity_id": opportunity.id})
    opportunity.account_id = _customer_account(session, lead, actor)
    subscription = Subscription(account_id=opportunity.account_id, key=f"opp-{opportunity.id}", plan=plan,
                                currency=opportunity.currency)
    session.add(subscription)
    session.flush()
    opportunity.subscription_id = subscription.id
    record_change(session, subscription=subscription, day=start, mrr_minor=mrr_minor, seats=seats,
                  term_months=term_months, plan=plan, actor=actor)
    handoff = Handoff(opportunity_id=opportunity.id, account_id=opportunity.account_id, success_plan=success_plan)
    session.add(handoff)
    session.flush()
    session.add_all([Promise(handoff_id=handoff.id, text=promise.strip(), status="pending") for promise in promises])
    record(session, type="opportunity.won", subject_type="opportunity", subject_id=opportunity.id, actor=actor,
           data={"account_id": opportunity.account_id, "subscription_id": subscription.id, "plan": plan,
                 "seats": seats, "mrr_minor": mrr_minor, "term_months": term_months, "start": start.isoformat(),
                 "promises": [promise.strip() for promise in promises], "handoff_id": handoff.id})
    return handoff


def close_lost(session: Session, *, opportunity_id: int, reason: str, actor: str,
               on: date | None = None) -> Opportunity:
    """Lose, with one of the playbook's lost reasons; the lead is lost too (and good fits come back later)."""
    lost_reason_for(session, "lost", reason)
    opportunity = get_opportunity(session, opportunity_id)
    _close(session, opportunity, stage="lost", closed_on=on or utcnow().date(), reason=reason)
    lead = session.get(Lead, opportunity.lead_id)
    close_lead(session, lead, outcome="lost", reason=reason, actor=actor, now=utcnow(),
               data={"opportunity_id": opportunity.id})
    record(session, type="opportunity.lost", subject_type="opportunity", subject_id=opportunity.id, actor=actor,
           data={"reason": reason})
    return opportunity
