"""The customer stage: won leads become customers, and some of them churn at a renewal."""

import math
import random
from dataclasses import replace
from datetime import datetime, timedelta

from revteam.demo.leads import event_row
from revteam.demo.plan import DemoContext, WonDeal, spread
from revteam.demo.writer import insert_rows
from revteam.events.models import Event

# Yearly hazard of a small customer deciding to leave; a decision takes effect at the next renewal.
# Larger customers leave less often (more seats, more invested), as in most B2B SaaS books: a
# 120-seat customer a third as often as one of 40 seats or fewer.
CHURN_HAZARD_PER_YEAR = 0.17
SEATS_AT_FULL_HAZARD = 40
CHURN_REASONS = (("no_adoption", 35), ("budget_cut", 20), ("competitor", 15), ("acquired", 10), ("missing_feature", 20))


ADD_ON_SHARE = (0.06, 0.15)  # an add-on's seats as a share of the account's first deal


def churn_hazard(seats: int) -> float:
    """The yearly hazard of a customer of `seats` seats deciding to leave."""
    return CHURN_HAZARD_PER_YEAR * min(1.0, SEATS_AT_FULL_HAZARD / max(seats, 1))


def churn_date(quantile: float, deal: WonDeal) -> datetime:
    """When the customer leaves: a decision at `quantile` of the hazard, effective at the next renewal."""
    decided_after_days = -math.log(1 - quantile) / -math.log(1 - churn_hazard(deal.seats)) * 365.25
    term_days = deal.term_months * 30.44
    renewals = math.ceil(decided_after_days / term_days)
    return deal.won_at + timedelta(days=max(1, renewals) * term_days)


def _customer_events(ctx: DemoContext, rng: random.Random, deal: WonDeal) -> list[dict]:
    terms = {"lead_id": deal.lead_id, "plan": deal.plan, "mrr_minor": deal.mrr_minor, "seats": deal.seats,
             "term_months": deal.term_months}
    rows = [event_row(ctx, "customer.won", "customer", deal.account_id, deal.owner_email, deal.won_at,
                      {**terms, "owner": deal.owner_email})]
    if deal.churned_at is not None:
        success = rng.choice(ctx.members["success"]).email
        reason = rng.choices([r for r, _ in CHURN_REASONS], weights=[w for _, w in CHURN_REASONS])[0]
        rows.append(event_row(ctx, "customer.churned", "customer", deal.account_id, success, deal.churned_at,
                              {**terms, "reason": reason}))
    return rows


def _size_quantiles(deals: list[WonDeal], start: float) -> list[float]:
    """One quantile per deal, spread (plan.spread) along the deals from the largest to the smallest: the
    few large customers, which weigh most in NRR and GRR, fare as variously as the many small ones
    instead of all churning in one seed and all staying in the next."""
    quantiles = [0.0] * len(deals)
    for rank, index in enumerate(sorted(range(len(deals)), key=lambda i: (-deals[i].mrr_minor, i))):
        quantiles[index] = spread(start, rank)
    return quantiles


def _churns_and_add_ons(ctx: DemoContext, rng: random.Random) -> None:
    """Each deal's churn, in the order they were won. A deal won while the account still pays is an
    add-on (more seats on its plan), not a second first purchase, and it ends at the latest when the
    purchase it adds to ends: the customer leaves as a whole. Otherwise a return purchase at an account
    kept alive by an add-on would count as expansion, and NRR run far above 120 %."""
    quantiles = _size_quantiles(ctx.won_deals, rng.random())
    bases: dict[int, tuple[WonDeal, datetime]] = {}  # account -> its standing purchase and when it ends
    for index in sorted(range(len(ctx.won_deals)), key=lambda i: ctx.won_deals[i].won_at):
        deal = ctx.won_deals[index]
        base, base_ends = bases.get(deal.account_id, (None, deal.won_at))
        if base is not None and base_ends > deal.won_at:
            seats = max(1, round(base.seats * rng.uniform(*ADD_ON_SHARE)))
            price = base.mrr_minor / max(base.seats, 1)
            deal = replace(deal, plan=base.plan, seats=seats, mrr_minor=round(price * seats))
            churned_at = min(churn_date(quantiles[index], deal), base_ends)
        else:
            churned_at = churn_date(quantiles[index], deal)
            bases[deal.account_id] = (deal, churned_at)
        ctx.won_deals[index] = replace(deal, churned_at=churned_at if churned_at <= ctx.end else None)
        ctx.counts["customers churned"] += churned_at <= ctx.end


def customer_stage(ctx: DemoContext) -> None:
    """Record each won deal as `customer.won` and the later churns as `customer.churned` events."""
    rng, rows = ctx.rng("customers"), []
    _churns_and_add_ons(ctx, rng)
    for deal in ctx.won_deals:
        rows += _customer_events(ctx, rng, deal)
    ctx.counts["customers won"] = len(ctx.won_deals)
    with ctx.engine.begin() as connection:
        ctx.counts["events"] += insert_rows(connection, Event.__table__, rows)
