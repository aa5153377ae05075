"""The revenue stage: each won deal becomes an opportunity, a subscription with its dated
changes (renewals that expand or contract, churn at a renewal), a handoff whose promises success
has judged, and a health reading - the customers that churn mostly showed no evidence of value."""

import itertools
import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import bindparam, select, update

from revteam.accounts.models import Account
from revteam.db.session import session_scope
from revteam.demo.leads import event_row
from revteam.demo.plan import DemoContext, LostDeal, WonDeal, spread
from revteam.demo.writer import insert_rows
from revteam.events.models import Event
from revteam.revenue.health import score_health
from revteam.revenue.models import Handoff, HealthCheck, Opportunity, Promise, Subscription, SubscriptionChange
from revteam.revenue.rollups import refresh_accounts
from revteam.revenue.rows import REPORTING_CURRENCY

PROMISES = ("SSO before go-live", "Salesforce sync in the first month", "A named success manager",
            "Custom routing rules set up by us", "Price held for the second year", "Onboarding in two weeks")
# At a renewal: (share, seat change factor range) - two in five renew flat, more grow than shrink (seats
# follow adoption both ways, the growth outweighing the cuts as in a healthy book).
RENEWALS = ((0.40, (1.0, 1.0)), (0.42, (1.15, 1.6)), (0.18, (0.6, 0.85)))
TABLES = ("opportunities", "subscriptions", "subscription_changes", "handoffs", "handoff_promises",
          "health_checks", "events")


def _renewal_terms(quantile: float) -> tuple[float, float]:
    """The seat change factor range of the renewal at `quantile` of RENEWALS' shares."""
    for share, factors in RENEWALS:
        if quantile < share:
            return factors
        quantile -= share
    return RENEWALS[-1][1]


def _renewals(deal: WonDeal, last_day: date) -> list[date]:
    """The renewals the customer lives to see up to `last_day`."""
    start, end = deal.won_at.date(), min(last_day, deal.churned_at.date() if deal.churned_at else last_day)
    step = max(deal.term_months, 12)  # monthly customers renegotiate seats about once a year too
    return list(itertools.takewhile(lambda day: day < end, (start + relativedelta(months=k * step)
                                                            for k in itertools.count(1))))


def renewal_quantiles(deals: list[WonDeal], last_day: date, start: float) -> list[dict[date, float]]:
    """Per deal, a quantile per renewal, spread (plan.spread) over each trailing year's renewals from
    the largest customer to the smallest: in any year the few large customers, which weigh most in NRR,
    renew flat, grow and shrink in RENEWALS' shares like the small ones, instead of all growing in one
    seed and all shrinking in the next."""
    by_year: dict[int, list[tuple[int, int, date]]] = defaultdict(list)
    for index, deal in enumerate(deals):
        for day in _renewals(deal, last_day):
            by_year[(last_day - day).days // 365].append((-deal.mrr_minor, index, day))
    quantiles: list[dict[date, float]] = [{} for _ in deals]
    for renewals in by_year.values():
        for rank, (_, index, day) in enumerate(sorted(renewals)):
            quantiles[index][day] = spread(start, rank)
    return quantiles


def _renewal_changes(rng: random.Random, deal: WonDeal, quantiles: dict[date, float],
                     last_day: date) -> list[tuple[date, int, int]]:
    """(date, mrr, seats) at each renewal the customer lived to see (its outcome at the renewal's
    quantile, renewal_quantiles), and the churn if any."""
    seats, price = deal.seats, deal.mrr_minor / max(deal.seats, 1)
    changes = [(deal.won_at.date(), deal.mrr_minor, deal.seats)]
    for renewal in _renewals(deal, last_day):
        low, high = _renewal_terms(quantiles[renewal])
        if high != 1.0:
            seats = max(1, round(seats * rng.uniform(low, high)))
            changes.append((renewal, round(seats * price), seats))
    if deal.churned_at and deal.churned_at.date() <= last_day:
        changes.append((deal.churned_at.date(), 0, 0))
    return changes


def _health(ctx: DemoContext, rng: random.Random, deal: WonDeal, actor: str) -> dict:
    churning = deal.churned_at is not None
    evidence = rng.uniform(0.0, 0.45) if churning and rng.random() < 0.8 else rng.uniform(0.35, 1.0)
    signals = {"active_seat_share": round(evidence, 2), "key_feature_adoption": round(rng.uniform(0, 1) * evidence, 2),
               "outcome_achieved": evidence > 0.6}
    happiness = {"nps": rng.randint(5, 10) if rng.random() < 0.7 else rng.randint(0, 6)}
    score = score_health(signals, happiness)
    at = min(ctx.end, (deal.churned_at or ctx.end) - timedelta(days=45))
    return {"id": ctx.take_id("health_checks"), "account_id": deal.account_id, "success_score": score.success,
            "happiness_score": score.happiness, "at_risk": score.at_risk, "risk": score.risk, "signals": signals,
            "happiness": happiness, "recorded_by": actor, "recorded_at": max(at, deal.won_at)}


def _deal_rows(ctx: DemoContext, rng: random.Random, deal: WonDeal, quantiles: dict[date, float],
               rows: dict[str, list], user_ids: dict) -> int:
    """The deal's rows; returns the id of the success user who took the handoff."""
    opportunity_id, subscription_id = ctx.take_id("opportunities"), ctx.take_id("subscriptions")
    won_day, success = deal.won_at.date(), rng.choice(ctx.members["success"])
    rows["subscriptions"].append({"id": subscription_id, "account_id": deal.account_id, "key": f"opp-{opportunity_id}",
                                  "plan": deal.plan, "currency": REPORTING_CURRENCY, "created_at": deal.won_at})
    rows["opportunities"].append({
        "id": opportunity_id, "lead_id": deal.lead_id, "account_id": deal.account_id,
        "owner_id": user_ids.get(deal.owner_email), "stage": "won", "amount_minor": deal.mrr_minor * deal.term_months,
        "currency": REPORTING_CURRENCY, "expected_close": won_day, "closed_on": won_day, "lost_reason": None,
        "subscription_id": subscription_id, "created_at": deal.won_at - timedelta(days=rng.randint(10, 60))})
    for day, mrr, seats in _renewal_changes(rng, deal, quantiles, ctx.as_of):
        at = datetime.combine(day, time(9), tzinfo=UTC)
        rows["subscription_changes"].append({
            "id": ctx.take_id("subscription_changes"), "subscription_id": subscription_id,
            "account_id": deal.account_id, "date": day, "mrr_minor": mrr, "seats": seats,
            "term_months": deal.term_months, "currency": REPORTING_CURRENCY, "plan": deal.plan, "created_at": at})
        rows["events"].append(event_row(ctx, "subscription.changed", "subscription", subscription_id,
                                        deal.owner_email if mrr else success.email, at,
                                        {"date": day.isoformat(), "mrr_minor": mrr, "seats": seats}))
    handoff_id = ctx.take_id("handoffs")
    rows["handoffs"].append({"id": handoff_id, "opportunity_id": opportunity_id, "account_id": deal.account_id,
                             "success_plan": "Adopted by every rep within 60 days", "created_at": deal.won_at})
    for text in rng.sample(PROMISES, rng.randint(1, 3)):
        status = rng.choices(("confirmed", "disputed", "pending"), weights=(70, 15, 15))[0]
        decided = status != "pending"
        rows["handoff_promises"].append({
            "id": ctx.take_id("handoff_promises"), "handoff_id": handoff_id, "text": text, "status": status,
            "decided_by": success.id if decided else None,
            "decided_at": deal.won_at + timedelta(days=14) if decided else None, "note": None})
    rows["events"].append(event_row(ctx, "opportunity.won", "opportunity", opportunity_id, deal.owner_email,
                                    deal.won_at, {"account_id": deal.account_id, "mrr_minor": deal.mrr_minor}))
    rows["health_checks"].append(_health(ctx, rng, deal, success.email))
    return success.id


def _lost_rows(ctx: DemoContext, rng: random.Random, deal: LostDeal, rows: dict[str, list], user_ids: dict) -> None:
    rows["opportunities"].append({
        "id": ctx.take_id("opportunities"), "lead_id": deal.lead_id, "account_id": deal.account_id,
        "owner_id": user_ids.get(deal.owner_email), "stage": "lost", "amount_minor": deal.mrr_minor * 12,
        "currency": REPORTING_CURRENCY, "expected_close": deal.lost_at.date(), "closed_on": deal.lost_at.date(),
        "lost_reason": deal.reason, "subscription_id": None,
        "created_at": deal.lost_at - timedelta(days=rng.randint(10, 60))})


def _hand_unowned_customers_to_success(connection, success_of: dict[int, int]) -> None:
    """A customer no account executive owns is owned by its success manager (its CSM): the one the comp
    plans credit for expansion and judge on the health of their customers."""
    unowned = set(connection.execute(select(Account.id).where(Account.owner_id.is_(None),
                                                              Account.id.in_(success_of))).scalars())
    if unowned:
        connection.execute(update(Account).where(Account.id == bindparam("account")).values(owner_id=bindparam("csm")),
                           [{"account": account, "csm": success_of[account]} for account in sorted(unowned)])


def revenue_stage(ctx: DemoContext) -> None:
    """Opportunities, subscriptions and their changes, handoffs and health for every won deal."""
    rng, user_ids = ctx.rng("revenue"), {user.email: user.id for user in ctx.users}
    rows: dict[str, list] = {table: [] for table in TABLES}
    success_of: dict[int, int] = {}  # a customer's success manager: who took its first handoff
    quantiles = renewal_quantiles(ctx.won_deals, ctx.as_of, rng.random())
    for deal, renewals in zip(ctx.won_deals, quantiles, strict=True):
        success_of.setdefault(deal.account_id, _deal_rows(ctx, rng, deal, renewals, rows, user_ids))
    for lost in ctx.lost_deals:
        _lost_rows(ctx, rng, lost, rows, user_ids)
    models = (Subscription, Opportunity, SubscriptionChange, Handoff, Promise, HealthCheck, Event)
    with ctx.engine.begin() as connection:
        for model in models:
            ctx.counts[model.__tablename__.replace("_", " ")] += insert_rows(connection, model.__table__,
                                                                           rows[model.__tablename__])
        _hand_unowned_customers_to_success(connection, success_of)
    with session_scope(ctx.engine) as session:
        refresh_accounts(session, {deal.account_id for deal in ctx.won_deals})
