"""One lead's life as plain data: its touches, its events and where it stands on the as-of date.

The story follows the lead state machine (leads/states.py); moves that would happen after the
as-of date are not told, so recent leads are still open (routed, accepted, cultivating).
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from revteam.demo import names
from revteam.demo.plan import AccountPlan, DemoContext, PersonPlan, UserPlan, WonDeal

ACCEPT_SHARE = 0.75
SDR_NOT_A_LEAD_SHARE = 0.12
MAX_OFFERS = 3
_NURTURE_WEIGHTS = [weight for _, weight in names.NURTURE_TOUCHES]
_NURTURE_TYPES = [touch for touch, _ in names.NURTURE_TOUCHES]
_REGION_TEAM = {"na": "na-sdr", "emea": "emea-sdr", "apac": "apac-sdr"}


@dataclass
class LeadStory:
    fit: int
    created_at: datetime
    state: str = "new"
    owner: UserPlan | None = None
    engagement: int = 0
    is_mql: bool = False
    touches: list[tuple[str, datetime]] = field(default_factory=list)
    events: list[tuple[str, datetime, str, dict]] = field(default_factory=list)
    moves: int = 0
    open_until: datetime | None = None  # when the lead was disposed; None while open
    won: WonDeal | None = None

    def tell(self, type_: str, at: datetime, actor: str, data: dict, *, state: str | None = None) -> None:
        self.events.append((type_, at, actor, data))
        if state:
            self.state, self.moves = state, self.moves + 1


def engagement_at(ctx: DemoContext, touches: list[tuple[str, datetime]], at: datetime) -> int:
    """Engagement points at `at`: each touch's points halved every half-life since it happened."""
    half_life = ctx.playbook.engagement.half_life_days * 86_400
    points = ctx.playbook.engagement.points
    return round(sum(points.get(kind, 0) * 0.5 ** ((at - when).total_seconds() / half_life)
                     for kind, when in touches if when <= at))


def mql_intent(fit: int) -> float:
    """How likely a lead of this fit becomes an MQL: better fit, more buying intent."""
    return min(0.8, max(0.03, 0.04 + fit / 125))


def _touch(ctx: DemoContext, story: LeadStory, kind: str, at: datetime) -> None:
    story.touches.append((kind, at))
    story.engagement = engagement_at(ctx, story.touches, at)
    story.tell("lead.touched", at, "system", {"type": kind, "points": ctx.playbook.engagement.points.get(kind, 0)})
    story.tell("lead.scored", at, "system", _score_data(story))


def _score_data(story: LeadStory) -> dict:
    return {"fit": story.fit, "engagement": story.engagement, "score": story.fit + story.engagement}


def _nurture(ctx: DemoContext, rng: random.Random, story: LeadStory, since: datetime, until: datetime,
             *, qualify: bool) -> datetime | None:
    """Nurture touches from `since`; returns when the score first reaches the MQL threshold."""
    threshold, at = ctx.playbook.mql_threshold, since
    for _ in range(12 if qualify else min(8, rng.randint(1, 6))):
        at += timedelta(days=rng.expovariate(1 / 9), hours=rng.uniform(0, 8))
        if at > until:
            return None
        kind = rng.choice(("demo_request", "form_submit", "webinar_attended")) if qualify and rng.random() < 0.5 \
            else rng.choices(_NURTURE_TYPES, weights=_NURTURE_WEIGHTS)[0]
        crosses = story.fit + engagement_at(ctx, [*story.touches, (kind, at)], at) >= threshold
        if crosses and not qualify:
            continue
        _touch(ctx, story, kind, at)
        if crosses:
            return at
    return None


def _route_target(ctx: DemoContext, account: AccountPlan, handoff: bool) -> tuple[str, list[UserPlan]]:
    """Which rule routes the lead and to whom: the AE team on hand-off, the owner, or the region's SDRs."""
    if handoff:
        return _ae_team(account), ctx.members[_ae_team(account)]
    if account.owner_id is not None:
        owners = ctx.members[account.pod or _ae_team(account)]
        return "account_owner", [user for user in owners if user.id == account.owner_id]
    return _REGION_TEAM[account.region], ctx.members[_REGION_TEAM[account.region]]


def _ae_team(account: AccountPlan) -> str:
    return "enterprise-ae" if account.employees >= 1000 else "mid-market-ae"


def _offer(ctx: DemoContext, rng: random.Random, story: LeadStory, account: AccountPlan, at: datetime,
           *, handoff: bool) -> tuple[UserPlan, datetime] | None:
    """Route and let reps decide until one accepts; None when nobody does (or not yet)."""
    rule, candidates = _route_target(ctx, account, handoff)
    refused: set[int] = set()
    for _ in range(MAX_OFFERS):
        reps = [rep for rep in candidates if rep.id not in refused] or candidates
        rep = rng.choice(reps)
        at += timedelta(minutes=rng.uniform(1, 20))
        story.tell("lead.routed", at, "system", {"to": rep.email, "rule": rule}, state="routed")
        story.owner = rep
        at += timedelta(hours=rng.lognormvariate(0.7, 0.9))
        if at > ctx.end:
            return None
        if rng.random() < ACCEPT_SHARE:
            story.tell("lead.accepted", at, rep.email, {}, state="accepted")
            return rep, at
        reason = rng.choice(ctx.playbook.reject_reasons)
        story.tell("lead.rejected", at, rep.email, {"reason": reason.code}, state="rejected")
        refused.add(rep.id)
        at += timedelta(hours=rng.uniform(1, 30))
        if at > ctx.end:
            return None
        then = reason.then if len(refused) < MAX_OFFERS else "cultivate"
        manager = ctx.managers.get(rule)
        story.tell("lead.evaluated", at, manager.email if manager else "system", {"then": then},
                   state="cultivating" if then == "cultivate" else None)
        if then == "cultivate":
            story.owner = None
            return None
    return None


def _dispose(story: LeadStory, at: datetime, actor: UserPlan, outcome: str, reason: str | None = None) -> None:
    story.tell("lead.disposed", at, actor.email, {"outcome": outcome, "reason": reason}, state=outcome)
    story.open_until = at


def _close(ctx: DemoContext, rng: random.Random, story: LeadStory, lead_id: int, account: AccountPlan,
           rep: UserPlan, accepted_at: datetime) -> None:
    """The AE's sales cycle: won, lost (with a reason) or not a lead after all."""
    days = rng.uniform(20, 150 if account.employees >= 1000 else 90)
    at = accepted_at + timedelta(days=days)
    if at > ctx.end:
        return
    roll, win_share = rng.random(), min(0.45, max(0.12, 0.2 + story.fit / 400))
    if roll < win_share:
        _dispose(story, at, rep, "won")
        story.won = _won_deal(rng, lead_id, account, rep, at)
    elif roll < 0.93:
        _dispose(story, at, rep, "lost", rng.choice(ctx.playbook.lost_reasons).code)
    else:
        _dispose(story, at, rep, "not_a_lead")


def _won_deal(rng: random.Random, lead_id: int, account: AccountPlan, rep: UserPlan, at: datetime) -> WonDeal:
    plan, price, low, high = names.PLANS[min(2, int(rng.random() * 1.5 + (account.employees >= 200)))]
    seats = rng.randint(low, min(high, max(low, account.employees // 3)))
    term = rng.choices((1, 12, 24, 36), weights=(35, 50, 10, 5))[0]
    return WonDeal(lead_id=lead_id, account_id=account.id, owner_email=rep.email, won_at=at, plan=plan,
                   seats=seats, mrr_minor=seats * price, term_months=term)


def _work(ctx: DemoContext, rng: random.Random, story: LeadStory, lead_id: int, account: AccountPlan,
          qualified_at: datetime) -> None:
    offered = _offer(ctx, rng, story, account, qualified_at, handoff=False)
    if offered is None:
        return
    rep, at = offered
    if rep.sales_role == "sdr":
        story.tell("lead.contacted", at + timedelta(hours=rng.uniform(0.5, 30)), rep.email, {"via": "call"})
        at += timedelta(days=rng.uniform(3, 20))
        if at > ctx.end:
            return
        if rng.random() < SDR_NOT_A_LEAD_SHARE:
            _dispose(story, at, rep, "not_a_lead")
            return
        story.tell("lead.handed_off", at, rep.email, {"criteria": ["budget", "authority", "need", "timing"]})
        offered = _offer(ctx, rng, story, account, at, handoff=True)
        if offered is None:
            return
        rep, at = offered
    story.tell("lead.contacted", at + timedelta(hours=rng.uniform(0.5, 30)), rep.email, {"via": "email"})
    _close(ctx, rng, story, lead_id, account, rep, at)


def tell_story(ctx: DemoContext, rng: random.Random, lead_id: int, person: PersonPlan, account: AccountPlan,
               channel: str, campaign_id: int, created_at: datetime) -> LeadStory:
    """A lead's whole life from capture to the as-of date."""
    story = LeadStory(fit=person.fit, created_at=created_at)
    for _ in range(rng.choice((0, 0, 1, 2))):  # anonymous visits merged into the history
        story.touches.append(("page_visit", created_at - timedelta(days=rng.uniform(1, 40))))
    capture = next(touch for name, _, _, touch in names.CHANNELS if name == channel)
    story.tell("lead.captured", created_at, "system", {"source": channel, "campaign_id": campaign_id})
    _touch(ctx, story, capture, created_at)
    qualify = rng.random() < mql_intent(person.fit)
    score = story.fit + story.engagement
    if score >= ctx.playbook.mql_threshold and not qualify:
        qualify = True
    qualified_at = created_at if score >= ctx.playbook.mql_threshold else None
    if qualified_at is None:
        story.tell("lead.cultivating", created_at, "system", {"track": "default"}, state="cultivating")
        qualified_at = _nurture(ctx, rng, story, created_at, ctx.end, qualify=qualify)
    if qualified_at is None:
        return story
    story.is_mql = True
    story.tell("lead.qualified", qualified_at, "system", _score_data(story), state="mql")
    _work(ctx, rng, story, lead_id, account, qualified_at)
    return story
