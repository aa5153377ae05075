"""The customer stage: won leads become customers, and some of them churn at a renewal."""

import math
import random
from dataclasses import replace
from datetime import datetime, timedelta

from revteam.demo.leads import event_row
from revteam.demo.plan import DemoContext, WonDeal
from revteam.demo.writer import insert_rows
from revteam.events.models import Event

# Yearly hazard of a small customer deciding to leave; a decision takes effect at the next renewal.
# Larger customers leave less often (more seats, more invested), as in most B2B SaaS books: a
# 160-seat customer half as often as one of 40 seats or fewer.
CHURN_HAZARD_PER_YEAR = 0.20
SEATS_AT_FULL_HAZARD = 40
CHURN_REASONS = (("no_adoption", 35), ("budget_cut", 20), ("competitor", 15), ("acquired", 10), ("missing_feature", 20))


ADD_ON_SHARE = (0.05, 0.15)  # an add-on's seats as a share of the account's first deal
GOLDEN = (math.sqrt(5) - 1) / 2


def churn_hazard(seats: int) -> float:
    """The yearly hazard of a customer of `seats` seats deciding to leave."""
    return CHURN_HAZARD_PER_YEAR * min(1.0, math.sqrt(SEATS_AT_FULL_HAZARD / max(seats, 1)))


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


def _as_add_ons(ctx: DemoContext, rng: random.Random) -> None:
    """A deal won at an account already paying is an add-on (more seats on its plan), not a second
    first purchase: otherwise expansion would outgrow new business and NRR run far above 120 %."""
    first_deals: dict[int, WonDeal] = {}
    for index in sorted(range(len(ctx.won_deals)), key=lambda i: ctx.won_deals[i].won_at):
        deal = ctx.won_deals[index]
        first = first_deals.get(deal.account_id)
        if first is None or (first.churned_at and first.churned_at <= deal.won_at):
            first_deals[deal.account_id] = deal  # the account's first purchase, or its return after churning
            continue
        seats = max(1, round(first.seats * rng.uniform(*ADD_ON_SHARE)))
        ctx.won_deals[index] = replace(deal, plan=first.plan, seats=seats,
                                       mrr_minor=round(first.mrr_minor / max(first.seats, 1) * seats))


def customer_stage(ctx: DemoContext) -> None:
    """Record each won deal as `customer.won` and the later churns as `customer.churned` events."""
    rng, rows = ctx.rng("customers"), []
    # A seeded golden-ratio sequence instead of independent draws: even a small demo churns at
    # the promised rate, while which customer churns still looks random.
    quantile = rng.random()
    for index, deal in enumerate(ctx.won_deals):
        quantile = (quantile + GOLDEN) % 1
        churned_at = churn_date(quantile, deal)
        ctx.won_deals[index] = deal = replace(deal, churned_at=churned_at if churned_at <= ctx.end else None)
        ctx.counts["customers churned"] += deal.churned_at is not None
    _as_add_ons(ctx, rng)
    for deal in ctx.won_deals:
        rows += _customer_events(ctx, rng, deal)
    ctx.counts["customers won"] = len(ctx.won_deals)
    with ctx.engine.begin() as connection:
        ctx.counts["events"] += insert_rows(connection, Event.__table__, rows)
