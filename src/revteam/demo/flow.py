"""The flow stage: the backlog the demo ends with, and the due jobs the real flow would hold.

The lead stage tells each lead's flow over the history as routing/service.py and leads/flow*.py
would have run it (offers, decisions, SLA expiries, evaluations); at the as-of moment only the
last hours' offers are still open, far fewer than a working team has on its plate. This stage
tops every sales rep up to 1-5 offers waiting for accept or reject (most fresh, some close to
their SLA, a few past it, some already escalated from another rep), adds rejected leads waiting
for evaluation and leads just captured or qualified, then writes the jobs of every open lead
with the flow's own kinds and dedupe keys (SLA warning and expiry, first touch, evaluation,
return of lost leads).
"""

import random
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select

from revteam.demo import names
from revteam.demo.company import new_person, person_row
from revteam.demo.leads import add_lead_rows, new_rows, write_lead_rows
from revteam.demo.offers import business_moment_before, deadline
from revteam.demo.plan import AccountPlan, DemoContext, UserPlan
from revteam.demo.story import (CLOCK, REGION_TEAM, ROUTER, LeadStory, accept, ae_team, contact, expire, hand_off,
                                leave_open, reject, route, score_data, touch)
from revteam.demo.writer import insert_rows
from revteam.events.models import Event
from revteam.jobs.models import Job, JobState
from revteam.jobs.service import next_slot, periodic_key
from revteam.leads.flow.actions import AUTO_EVALUATE_AFTER_HOURS, EVALUATE_JOB, RECULTIVATE_JOB
from revteam.leads.flow.jobs import ROUTE_READY, ROUTE_READY_EVERY
from revteam.leads.flow.timers import ACCEPT_EXPIRY, ACCEPT_WARNING, FIRST_TOUCH_EXPIRY, job_key
from revteam.leads.models import Lead
from revteam.routing.models import Offer

BACKLOG_PER_REP = (1, 5)
# How long a waiting offer has waited, in business hours: (weight, low, high). Most are fresh,
# some are past the warning, a few past the accept SLA with their expiry job due.
WAITED = ((60, 0.1, 2.5), (25, 3.1, 3.9), (15, 4.2, 7.0))
ESCALATED_SHARE = 0.25
QUALIFY_TRIES = 10
_FOREVER = datetime.max


def flow_stage(ctx: DemoContext) -> None:
    """Top the reps' inboxes up to a realistic backlog, then write the due jobs of every open lead."""
    rng, rows = ctx.rng("flow"), new_rows()
    pools = _account_pools(ctx)
    waiting = _open_offers_by_rep(ctx)
    for rep in (user for user in ctx.users if user.role == "sales"):
        for _ in range(max(0, rng.randint(*BACKLOG_PER_REP) - waiting.get(rep.id, 0))):
            _add_waiting(ctx, rng, rows, pools, rep, rejected=False)
    sales = [user for user in ctx.users if user.role == "sales"]
    for _ in range(max(2, ctx.size.reps // 4)):
        _add_waiting(ctx, rng, rows, pools, rng.choice(sales), rejected=True)
    for _ in range(max(2, ctx.size.reps // 6)):
        _add_just_arrived(ctx, rng, rows, qualified=True)
        _add_just_arrived(ctx, rng, rows, qualified=False)
    write_lead_rows(ctx, rows)
    with ctx.engine.begin() as connection:
        ctx.counts["jobs"] += insert_rows(connection, Job.__table__, due_jobs(ctx, connection))


def _open_offers_by_rep(ctx: DemoContext) -> dict[int, int]:
    with ctx.engine.connect() as connection:
        query = select(Offer.rep_id, func.count()).where(Offer.outcome == "open").group_by(Offer.rep_id)
        return dict(connection.execute(query).all())


def _account_pools(ctx: DemoContext) -> dict[tuple, list[AccountPlan]]:
    """Accounts by who routing sends their leads to: their owner, or a region's SDRs and a size's AEs."""
    pools: dict[tuple, list[AccountPlan]] = defaultdict(list)
    for account in ctx.accounts:
        if account.owner_id is not None:
            pools[("owner", account.owner_id)].append(account)
        else:
            pools[("region", account.region)].append(account)
            pools[("ae", ae_team(account))].append(account)
    return pools


def _target(pools: dict[tuple, list[AccountPlan]], rng: random.Random,
            rep: UserPlan) -> tuple[AccountPlan, str, bool] | None:
    """An account whose lead routing gives `rep`, the unit routing picks from, and whether by hand-off."""
    if rep.pod:
        owned = pools.get(("owner", rep.id))
        return (rng.choice(owned), "account_owner", False) if owned else None
    key = ("region", rep.territory) if rep.sales_role == "sdr" else ("ae", rep.team)
    return (rng.choice(pools[key]), rep.team, rep.sales_role != "sdr") if pools.get(key) else None


def _waited(rng: random.Random) -> float:
    _, low, high = rng.choices(WAITED, weights=[share for share, _, _ in WAITED])[0]
    return rng.uniform(low, high)


def _add_waiting(ctx: DemoContext, rng: random.Random, rows: dict, pools: dict, rep: UserPlan, *,
                 rejected: bool) -> None:
    """One lead offered to `rep` and still waiting: for their decision, or (rejected) for evaluation."""
    target = _target(pools, rng, rep)
    if target is None:
        return
    account, unit, handoff = target
    candidates = [rep] if unit == "account_owner" else ctx.members[unit]
    if rejected:
        rejected_at = business_moment_before(ctx, ctx.end, rng.uniform(0.05, AUTO_EVALUATE_AFTER_HOURS * 0.9))
        offered_at = business_moment_before(ctx, rejected_at, rng.uniform(0.3, 3))
    else:
        offered_at = business_moment_before(ctx, ctx.end, _waited(rng))
    escalated = not rejected and len(candidates) > 1 and rng.random() < ESCALATED_SHARE
    first_at = (business_moment_before(ctx, offered_at, ctx.playbook.sla.accept_within_hours)
                if escalated else offered_at)
    captured_at = first_at - timedelta(days=rng.uniform(4, 20) if handoff else rng.uniform(0.02, 0.3))
    for _ in range(QUALIFY_TRIES):  # another account of the rep's pool when the contact is too poor a fit
        if lead := _qualified_lead(ctx, rng, rows, account, captured_at):
            break
        account = _target(pools, rng, rep)[0]
    else:
        return
    story, lead_id, person, channel, campaign_id = lead
    actor = _sdr_work(ctx, rng, story, account, first_at) if handoff else ROUTER
    if escalated:
        other = rng.choice([user for user in candidates if user.id != rep.id])
        earlier = route(ctx, story, other, unit, candidates, first_at, actor=actor, stage="ae" if handoff else "sdr")
        expire(ctx, story, earlier, ctx.managers.get(unit))
        offered_at, actor = earlier.accept_by, CLOCK
    offer = route(ctx, story, rep, unit, candidates, offered_at, actor=actor, stage="ae" if handoff else "sdr")
    if rejected:
        reason = rng.choice(ctx.playbook.reject_reasons)
        reject(story, offer, rejected_at, reason.code, reason.then)
    else:
        leave_open(ctx, story, offer)
    add_lead_rows(ctx, rng, rows, lead_id, person, account, channel, campaign_id, story)


def _qualified_lead(ctx: DemoContext, rng: random.Random, rows: dict, account: AccountPlan,
                    created_at: datetime, *, qualified: bool = True) -> tuple | None:
    """A new contact at `account` captured at `created_at`; qualified by demo requests when asked
    (None when the contact's fit is too poor to ever qualify)."""
    person = new_person(ctx, rng, account)
    person.busy_until = _FOREVER.replace(tzinfo=created_at.tzinfo)
    rows["people"].append(person_row(person, created_at))
    channel, _, _, capture = rng.choices(names.CHANNELS, weights=[c[1] for c in names.CHANNELS])[0]
    campaign_id = ctx.campaigns[(channel, f"{created_at:%Y-%m}")].id
    story = LeadStory(fit=person.fit, created_at=created_at)
    story.tell("lead.captured", created_at, "system", {"source": channel, "campaign_id": campaign_id})
    if not qualified:  # scoring has not run yet: the lead is still new
        story.touches.append((capture, created_at))
        story.tell("lead.touched", created_at, "system", {"type": capture, "points": 0})
        return story, ctx.take_id("leads"), person, channel, campaign_id
    touch(ctx, story, capture, created_at)
    for _ in range(6):
        if story.score.is_mql:
            break
        touch(ctx, story, "demo_request", created_at)
    if not story.score.is_mql:  # a poor fit (a student, say) never qualifies, however engaged
        return None
    story.is_mql = True
    story.tell("lead.qualified", created_at, "system", score_data(story), state="mql")
    return story, ctx.take_id("leads"), person, channel, campaign_id


def _sdr_work(ctx: DemoContext, rng: random.Random, story: LeadStory, account: AccountPlan,
              handoff_at: datetime) -> str:
    """Assembly line: an SDR of the region accepted, called and now hands the lead off; returns the SDR."""
    unit = REGION_TEAM[account.region]
    sdrs = ctx.members[unit]
    offer = route(ctx, story, rng.choice(sdrs), unit, sdrs, story.created_at + timedelta(minutes=rng.uniform(1, 20)),
                  actor=ROUTER, stage="sdr")
    decided = min(offer.offered_at + timedelta(hours=rng.lognormvariate(0.7, 0.9)), offer.accept_by)
    accept(ctx, story, offer, decided)
    contact(story, min(decided + timedelta(hours=rng.uniform(0.5, 24)), handoff_at), "call")
    hand_off(story, handoff_at)
    return offer.rep.email


def _add_just_arrived(ctx: DemoContext, rng: random.Random, rows: dict, *, qualified: bool) -> None:
    """A lead captured minutes before the as-of moment: not yet scored (new) or not yet routed (mql)."""
    created_at = ctx.end - timedelta(minutes=rng.uniform(1, 10))
    for _ in range(QUALIFY_TRIES):
        account = rng.choice(ctx.accounts)
        if lead := _qualified_lead(ctx, rng, rows, account, created_at, qualified=qualified):
            break
    else:
        return
    story, lead_id, person, channel, campaign_id = lead
    add_lead_rows(ctx, rng, rows, lead_id, person, account, channel, campaign_id, story)


def job_row(kind: str, run_at: datetime, payload: dict, dedupe_key: str, created_at: datetime, end: datetime) -> dict:
    """A jobs-table row as jobs.service.enqueue writes it; a job whose time came before `end` has run."""
    done = kind in (ACCEPT_WARNING, FIRST_TOUCH_EXPIRY) and run_at <= end  # the story told what they did
    return {"kind": kind, "payload": payload, "state": JobState.done if done else JobState.due, "run_at": run_at,
            "dedupe_key": dedupe_key, "attempts": int(done), "max_attempts": 5, "created_at": created_at,
            "finished_at": run_at if done else None}


def due_jobs(ctx: DemoContext, connection: Connection) -> list[dict]:
    """The jobs the flow holds at the as-of moment for open offers, rejected leads and lost leads."""
    jobs, warn = [], timedelta(minutes=ctx.playbook.sla.warn_before_minutes)
    current = (Lead.owner_id == Offer.rep_id)
    open_offers = select(Offer.id, Offer.lead_id, Offer.offered_at, Offer.accept_by).join(Lead, Lead.id == Offer.lead_id)
    for offer_id, lead_id, offered_at, accept_by in connection.execute(
            open_offers.where(Offer.outcome == "open", Lead.state == "routed", current).order_by(Offer.id)):
        payload = {"offer_id": offer_id, "lead_id": lead_id}
        if warn and accept_by - warn > offered_at:
            jobs.append(job_row(ACCEPT_WARNING, accept_by - warn, payload, job_key(offer_id, ACCEPT_WARNING),
                             offered_at, ctx.end))
        jobs.append(job_row(ACCEPT_EXPIRY, accept_by, payload, job_key(offer_id, ACCEPT_EXPIRY), offered_at, ctx.end))
    untouched = (select(Offer.id, Offer.lead_id, Offer.decided_at, Offer.first_touch_by)
                 .join(Lead, Lead.id == Offer.lead_id)
                 .where(Offer.outcome == "accepted", Lead.state == "accepted", current, Offer.touched_at.is_(None)))
    for offer_id, lead_id, decided_at, first_touch_by in connection.execute(untouched.order_by(Offer.id)):
        jobs.append(job_row(FIRST_TOUCH_EXPIRY, first_touch_by, {"offer_id": offer_id, "lead_id": lead_id},
                         job_key(offer_id, FIRST_TOUCH_EXPIRY), decided_at, ctx.end))
    rejected = (select(Offer.lead_id, func.max(Offer.decided_at)).join(Lead, Lead.id == Offer.lead_id)
                .where(Lead.state == "rejected", Offer.outcome == "rejected").group_by(Offer.lead_id))
    for lead_id, decided_at in connection.execute(rejected.order_by(Offer.lead_id)):
        jobs.append(job_row(EVALUATE_JOB, deadline(ctx, decided_at, AUTO_EVALUATE_AFTER_HOURS), {"lead_id": lead_id},
                         f"lead:{lead_id}:evaluate", decided_at, ctx.end))
    route_ready_at = next_slot(ctx.end, ROUTE_READY_EVERY)
    jobs.append(job_row(ROUTE_READY, route_ready_at, {}, periodic_key(ROUTE_READY, route_ready_at), ctx.end, ctx.end))
    return jobs + _recultivate_jobs(ctx, connection)


def _recultivate_jobs(ctx: DemoContext, connection: Connection) -> list[dict]:
    """Good-fit lost leads whose return to cultivation is still ahead."""
    lost = select(Lead.id).where(Lead.state == "lost")
    query = (select(Event.subject_id, Event.at, Event.data)
             .where(Event.type == "lead.disposed", Event.subject_type == "lead", Event.subject_id.in_(lost))
             .order_by(Event.subject_id))
    jobs = []
    for lead_id, at, data in connection.execute(query):
        returns_at = datetime.fromisoformat(data["returns_at"]) if data.get("returns_at") else None
        if returns_at is not None and returns_at > ctx.end:
            jobs.append(job_row(RECULTIVATE_JOB, returns_at, {"lead_id": lead_id}, f"lead:{lead_id}:recultivate",
                             at, ctx.end))
    return jobs
