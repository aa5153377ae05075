"""The lead stage: leads arriving day by day with seasonality, written in chunks as they are told."""

import bisect
import itertools
import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from revteam.accounts.models import Person
from revteam.demo import names
from revteam.demo.company import new_person, person_row
from revteam.demo.offers import offer_row
from revteam.demo.plan import AccountPlan, DemoContext, PersonPlan
from revteam.demo.story import LeadStory, tell_story
from revteam.demo.writer import insert_rows
from revteam.events.models import Event
from revteam.leads.models import Activity, Lead
from revteam.routing.models import Offer

LEADS_PER_CHUNK = 5_000
# Busy autumn, slow August and holidays; Tuesday to Thursday peak, weekends ~15% of weekdays.
MONTH_FACTOR = (0.95, 1.0, 1.1, 1.0, 1.0, 0.95, 0.85, 0.6, 1.1, 1.25, 1.3, 1.05)
WEEKDAY_FACTOR = (0.9, 1.1, 1.15, 1.1, 0.85, 0.15, 0.13)
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 11, 10, 9, 10, 11, 12, 11, 9, 7, 5, 4, 3, 2, 1)
PRODUCTS = (("revteam platform", 70), ("analytics add-on", 20), ("routing add-on", 10))
GROWTH_OVER_WINDOW = 0.5  # the company gets half again as many leads at the end as at the start


def day_weight(day: datetime, progress: float) -> float:
    """Relative lead volume of one day; `progress` runs 0..1 over the window (growth)."""
    late_december = 0.45 if day.month == 12 and day.day >= 20 else 1.0
    growth = 1 + GROWTH_OVER_WINDOW * progress
    return MONTH_FACTOR[day.month - 1] * WEEKDAY_FACTOR[day.weekday()] * late_december * growth


def daily_volumes(ctx: DemoContext, rng: random.Random) -> list[tuple[datetime, int]]:
    """How many leads arrive each day, adding up to about the size's lead count."""
    days = [ctx.start + timedelta(days=offset) for offset in range((ctx.end - ctx.start).days)]
    weights = [day_weight(day, index / len(days)) for index, day in enumerate(days)]
    scale = ctx.size.leads / sum(weights)
    volumes = []
    for day, weight in zip(days, weights, strict=True):
        expected = weight * scale
        volumes.append((day, math.floor(expected) + (rng.random() < expected % 1)))
    return volumes


def _arrivals(ctx: DemoContext, rng: random.Random) -> Iterator[datetime]:
    for day, count in daily_volumes(ctx, rng):
        moments = sorted(day + timedelta(hours=rng.choices(range(24), weights=HOUR_WEIGHTS)[0],
                                         seconds=rng.randint(0, 3599)) for _ in range(count))
        yield from moments


def _person_for(ctx: DemoContext, rng: random.Random, account: AccountPlan, at: datetime) -> tuple[PersonPlan, bool]:
    """A known contact with no open lead (half the time), else a new contact; True when new."""
    if account.people and rng.random() < 0.5:
        person = ctx.people[rng.choice(account.people)]
        if person.busy_until is None or person.busy_until <= at:
            return person, False
    return new_person(ctx, rng, account), True


def lead_stage(ctx: DemoContext) -> None:
    """Leads over the window, each with its touches and events, in chunks of LEADS_PER_CHUNK."""
    rng = ctx.rng("leads")
    cumulative = list(itertools.accumulate(math.sqrt(account.employees) for account in ctx.accounts))
    channels, channel_weights = [c[0] for c in names.CHANNELS], [c[1] for c in names.CHANNELS]
    arrivals = _arrivals(ctx, rng)
    while chunk := list(itertools.islice(arrivals, LEADS_PER_CHUNK)):
        rows = new_rows()
        for created_at in chunk:
            account = ctx.accounts[min(len(cumulative) - 1, bisect.bisect(cumulative, rng.random() * cumulative[-1]))]
            person, is_new = _person_for(ctx, rng, account, created_at)
            if is_new:
                rows["people"].append(person_row(person, created_at))
            channel = rng.choices(channels, weights=channel_weights)[0]
            campaign = ctx.campaigns[(channel, f"{created_at:%Y-%m}")]
            lead_id = ctx.take_id("leads")
            story = tell_story(ctx, rng, lead_id, person, account, channel, campaign.id, created_at)
            person.busy_until = story.open_until or datetime.max.replace(tzinfo=created_at.tzinfo)
            add_lead_rows(ctx, rng, rows, lead_id, person, account, channel, campaign.id, story)
        write_lead_rows(ctx, rows)


def new_rows() -> dict[str, list[dict]]:
    """Empty row lists for one chunk of leads."""
    return {"people": [], "leads": [], "activities": [], "events": [], "offers": []}


def add_lead_rows(ctx: DemoContext, rng: random.Random, rows: dict[str, list[dict]], lead_id: int,
                  person: PersonPlan, account: AccountPlan, channel: str, campaign_id: int, story: LeadStory) -> None:
    """Add the rows of one told lead: the lead, its touches, its events and its offers."""
    if story.won:
        ctx.won_deals.append(story.won)
    told = sorted((event for event in story.events if event[1] <= ctx.end), key=lambda event: event[1])
    ctx.counts[f"leads {story.state}"] += 1
    rows["leads"].append({
        "id": lead_id, "person_id": person.id, "account_id": account.id, "campaign_id": campaign_id,
        "state": story.state, "owner_id": story.owner.id if story.owner else None, "source": channel,
        "product_interest": rng.choices([p[0] for p in PRODUCTS], weights=[p[1] for p in PRODUCTS])[0],
        **(story.score.columns() if story.score else {"fit_score": 0, "engagement_score": 0, "score": 0}),
        "is_mql": story.is_mql, "scored_with": ctx.playbook_version_id, "version": story.moves + 1,
        "custom": None, "created_at": story.created_at, "updated_at": told[-1][1],
    })
    for kind, at in sorted(story.touches, key=lambda touch: touch[1]):
        rows["activities"].append({"id": ctx.take_id("activities"), "person_id": person.id,
                                   "lead_id": lead_id if at >= story.created_at else None,
                                   "type": kind, "at": at, "source": channel})
    for type_, at, actor, data in told:
        rows["events"].append(event_row(ctx, type_, "lead", lead_id, actor, at, data))
    rows["offers"] += (offer_row(lead_id, offer, ctx.end) for offer in story.offers)


def event_row(ctx: DemoContext, type_: str, subject_type: str, subject_id: int, actor: str,
              at: datetime, data: dict) -> dict:
    """An events-table row stamped with the demo's playbook version and the next event id."""
    return {"id": ctx.take_id("events"), "type": type_, "subject_type": subject_type, "subject_id": subject_id,
            "actor": actor, "at": at, "data": data, "playbook_version_id": ctx.playbook_version_id}


def write_lead_rows(ctx: DemoContext, rows: dict[str, list[dict]]) -> None:
    """Write one chunk of leads with everything that hangs off them, in one transaction."""
    with ctx.engine.begin() as connection:
        ctx.counts["people"] += insert_rows(connection, Person.__table__, rows["people"])
        ctx.counts["leads"] += insert_rows(connection, Lead.__table__, rows["leads"])
        ctx.counts["activities"] += insert_rows(connection, Activity.__table__, rows["activities"])
        ctx.counts["events"] += insert_rows(connection, Event.__table__, rows["events"])
        ctx.counts["offers"] += insert_rows(connection, Offer.__table__, rows["offers"])
