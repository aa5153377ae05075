"""One lead's life as plain data: its touches, its events and where it stands on the as-of date.

The story follows the lead state machine (leads/states.py); moves that would happen after the
as-of date are not told, so recent leads are still open (routed, accepted, cultivating).
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from revteam.demo import names
from revteam.demo.offers import OfferPlan, deadline
from revteam.demo.plan import AccountPlan, DemoContext, LostDeal, PersonPlan, UserPlan, WonDeal
from revteam.leads.flow.actions import AUTO_EVALUATE_AFTER_HOURS
from revteam.routing.offers import WRONG_TARGET_REASONS
from revteam.leads.scoring.rules import LeadScore, ScoreResult, combined_score, engagement_score

ACCEPT_SHARE = 0.75
SDR_NOT_A_LEAD_SHARE = 0.12
MAX_OFFERS = 3
_NURTURE_WEIGHTS = [weight for _, weight in names.NURTURE_TOUCHES]
_NURTURE_TYPES = [touch for touch, _ in names.NURTURE_TOUCHES]
REGION_TEAM = {"na": "na-sdr", "emea": "emea-sdr", "apac": "apac-sdr"}
# The default playbook's rule ids, so demo offers explain themselves as real ones do.
_RULE_IDS = {"account_owner": "account_owner_first", "na-sdr": "na_territory", "emea-sdr": "emea_territory",
             "apac-sdr": "apac_territory", "enterprise-ae": "enterprise_handoff", "mid-market-ae": "mid_market_handoff"}
# How much likelier than average a lead of each source is to close: referrals and partners come
# pre-sold, paid social and events bring curious browsers.
SOURCE_WIN_FACTOR = {"referral": 1.6, "partner": 1.4, "organic": 1.1, "outbound": 0.9, "content": 0.9,
                     "paid_search": 1.0, "webinar": 1.0, "paid_social": 0.7, "events": 0.6}
CLOCK, ROUTER = "system:sla", "system:routing"  # the actors of the real flow's jobs


@dataclass
class LeadStory:
    fit: ScoreResult
    created_at: datetime
    state: str = "new"
    owner: UserPlan | None = None
    score: LeadScore | None = None  # the latest `lead.scored`; None while the lead is not scored yet
    is_mql: bool = False
    touches: list[tuple[str, datetime]] = field(default_factory=list)
    events: list[tuple[str, datetime, str, dict]] = field(default_factory=list)
    moves: int = 0
    open_until: datetime | None = None  # when the lead was disposed; None while open
    won: WonDeal | None = None
    offers: list[OfferPlan] = field(default_factory=list)
    returns_at: datetime | None = None  # a good-fit lost lead comes back to cultivation then

    def tell(self, type_: str, at: datetime, actor: str, data: dict, *, state: str | None = None) -> None:
        self.events.append((type_, at, actor, data))
        if state:
            self.state, self.moves = state, self.moves + 1


def score_at(ctx: DemoContext, fit: ScoreResult, touches: list[tuple[str, datetime]], at: datetime) -> LeadScore:
    """The lead's score at `at` through the one scoring path, from the touches that happened by then."""
    engagement = engagement_score(ctx.playbook, [touch for touch in touches if touch[1] <= at], now=at)
    # No facts: the demo runs the default playbook, whose MQL has no `mql_when`, and no model exists yet.
    return combined_score(ctx.playbook, fit, engagement, {})


def mql_intent(fit: int) -> float:
    """How likely a lead of this fit becomes an MQL: better fit, more buying intent."""
    return min(0.8, max(0.03, 0.04 + fit / 125))


def touch(ctx: DemoContext, story: LeadStory, kind: str, at: datetime) -> None:
    story.touches.append((kind, at))
    story.score = score_at(ctx, story.fit, story.touches, at)
    story.tell("lead.touched", at, "system", {"type": kind, "points": ctx.playbook.engagement.points.get(kind, 0)})
    story.tell("lead.scored", at, "system", score_data(story))


def score_data(story: LeadStory) -> dict:
    """The latest score as a real `lead.scored` event keeps it: totals, MQL and the rule lines."""
    return story.score.event_data()


def _nurture(ctx: DemoContext, rng: random.Random, story: LeadStory, since: datetime, until: datetime,
             *, qualify: bool) -> datetime | None:
    """Nurture touches from `since`; returns when the score first reaches the MQL threshold."""
    at = since
    for _ in range(12 if qualify else min(8, rng.randint(1, 6))):
        at += timedelta(days=rng.expovariate(1 / 9), hours=rng.uniform(0, 8))
        if at > until:
            return None
        kind = rng.choice(("demo_request", "form_submit", "webinar_attended")) if qualify and rng.random() < 0.5 \
            else rng.choices(_NURTURE_TYPES, weights=_NURTURE_WEIGHTS)[0]
        crosses = score_at(ctx, story.fit, [*story.touches, (kind, at)], at).is_mql
        if crosses and not qualify:
            continue
        touch(ctx, story, kind, at)
        if crosses:
            return at
    return None


def _route_target(ctx: DemoContext, account: AccountPlan, handoff: bool) -> tuple[str, list[UserPlan]]:
    """Which rule routes the lead and to whom: the AE team on hand-off, the owner, or the region's SDRs."""
    if handoff:
        return ae_team(account), ctx.members[ae_team(account)]
    if account.owner_id is not None:
        owners = ctx.members[account.pod or ae_team(account)]
        return "account_owner", [user for user in owners if user.id == account.owner_id]
    return REGION_TEAM[account.region], ctx.members[REGION_TEAM[account.region]]


def ae_team(account: AccountPlan) -> str:
    return "enterprise-ae" if account.employees >= 1000 else "mid-market-ae"


def _offer(ctx: DemoContext, rng: random.Random, story: LeadStory, account: AccountPlan, at: datetime,
           *, handoff: bool, actor: str) -> tuple[UserPlan, datetime] | None:
    """Route and let reps decide until one accepts; None when nobody does (or not yet)."""
    unit, candidates = _route_target(ctx, account, handoff)
    barred: set[int] = set()
    if not handoff:  # the routing job picks MQLs up a few minutes after they qualify
        at += timedelta(minutes=rng.uniform(1, 20))
        if at > ctx.end:
            return None
    while True:
        rep = rng.choice([rep for rep in candidates if rep.id not in barred])
        offer = route(ctx, story, rep, unit, candidates, at, actor=actor, stage="ae" if handoff else "sdr")
        decided = at + timedelta(hours=rng.lognormvariate(0.7, 0.9))
        if min(decided, offer.accept_by) > ctx.end:
            leave_open(ctx, story, offer)
            return None
        barred.add(rep.id)
        last_try = len(barred) >= min(MAX_OFFERS, len(candidates))
        if decided > offer.accept_by:
            expire(ctx, story, offer, ctx.managers.get(unit))
            at, actor = offer.accept_by, CLOCK
            if last_try:
                return_to_cultivation(story, at, CLOCK, f"lead: nobody can take it now (rule {offer.decision['rule']})")
                return None
            continue
        if rng.random() < ACCEPT_SHARE:
            accept(ctx, story, offer, decided)
            return rep, decided
        at, actor = _rejected(ctx, rng, story, offer, decided, ctx.managers.get(unit), last_try)
        if at is None:
            return None


def _rejected(ctx: DemoContext, rng: random.Random, story: LeadStory, offer: OfferPlan, at: datetime,
              manager: UserPlan | None, last_try: bool) -> tuple[datetime | None, str]:
    """Reject, then evaluate: returns when and by whom it is rerouted, or None (waiting, or back to cultivation)."""
    reason = rng.choice(ctx.playbook.reject_reasons)
    reject(story, offer, at, reason.code, reason.then)
    # A person evaluates, unless the auto-evaluation job comes first (leads/flow.py).
    by_person, by_clock = at + timedelta(hours=rng.uniform(1, 30)), deadline(ctx, at, AUTO_EVALUATE_AFTER_HOURS)
    at = min(by_person, by_clock)
    if at > ctx.end:
        return None, CLOCK  # waiting for evaluation
    # The demo reroutes within the rep's own unit, which a wrong-territory rejection bars (routing/offers.py).
    same_unit_fits = reason.code not in WRONG_TARGET_REASONS
    to = "reroute" if reason.then == "reroute" and same_unit_fits and not last_try else "cultivation"
    evaluator = manager.email if manager and by_person < by_clock else CLOCK
    story.tell("lead.evaluated", at, evaluator, {"to": to, "reason": reason.code, "default": reason.then,
                                                 "offer": offer.id})
    if to == "cultivation":
        return_to_cultivation(story, at, evaluator, f"reject reason {reason.code}")
        return None, evaluator
    return at, evaluator


def reject(story: LeadStory, offer: OfferPlan, at: datetime, reason: str, then: str) -> None:
    """The rep refuses the lead with a playbook reason; it waits for evaluation, owned by nobody."""
    offer.outcome, offer.decided_at, offer.reason_code = "rejected", at, reason
    story.owner = None
    story.tell("lead.rejected", at, offer.rep.email, {"offer": offer.id, "rep": offer.rep.email, "reason": reason,
                                                      "note": None, "then": then}, state="rejected")


def route(ctx: DemoContext, story: LeadStory, rep: UserPlan, unit: str, candidates: list[UserPlan], at: datetime,
          *, actor: str, stage: str) -> OfferPlan:
    """Offer the lead to `rep` as leads.flow.offering.offer_lead does: offer, `lead.routed`, lead now the rep's."""
    rule = _RULE_IDS.get(unit, unit)
    target = (f"account owner {rep.email}" if unit == "account_owner"
              else f"{'pod' if unit.startswith('pod-') else 'team'} {unit}")
    decision = {"rule": rule, "target": target, "rep": rep.email, "candidates": [c.email for c in candidates],
                "skipped": [], "reason": f"rule {rule} → {target}: {rep.email}", "stage": stage}
    offer = OfferPlan(id=ctx.take_id("offers"), rep=rep, stage=stage, offered_at=at,
                      accept_by=deadline(ctx, at, ctx.playbook.sla.accept_within_hours), decision=decision)
    story.offers.append(offer)
    story.owner = rep
    story.tell("lead.routed", at, actor, {**decision, "offer": offer.id, "accept_by": offer.accept_by.isoformat()},
               state="routed")
    return offer


def accept(ctx: DemoContext, story: LeadStory, offer: OfferPlan, at: datetime) -> None:
    """The rep takes the lead; the first-touch clock starts."""
    offer.outcome, offer.decided_at = "accepted", at
    offer.first_touch_by = deadline(ctx, at, ctx.playbook.sla.first_touch_within_hours)
    story.tell("lead.accepted", at, offer.rep.email,
               {"offer": offer.id, "stage": offer.stage, "first_touch_by": offer.first_touch_by.isoformat()},
               state="accepted")


def leave_open(ctx: DemoContext, story: LeadStory, offer: OfferPlan) -> None:
    """The rep has not decided by the as-of date; the warning job has run if its time came."""
    warn_at = offer.accept_by - timedelta(minutes=ctx.playbook.sla.warn_before_minutes)
    if offer.offered_at < warn_at <= ctx.end:
        story.tell("lead.sla_warning", warn_at, CLOCK, {"offer": offer.id, "accept_by": offer.accept_by.isoformat()})


def expire(ctx: DemoContext, story: LeadStory, offer: OfferPlan, manager: UserPlan | None) -> None:
    """Nobody decided in time: warning, expiry and (by the default policy) the manager told."""
    leave_open(ctx, story, offer)
    policy, at = ctx.playbook.sla.on_accept_expiry, offer.accept_by
    offer.outcome, offer.decided_at = "expired", at
    story.tell("lead.sla_expired", at, CLOCK, {"offer": offer.id, "rep": offer.rep.email, "then": policy})
    if policy == "escalate_and_reroute":
        story.tell("lead.escalated", at, CLOCK, {"why": "accept_expired", "rep": offer.rep.email, "offer": offer.id,
                                                 "managers": [manager.email] if manager else []})


def return_to_cultivation(story: LeadStory, at: datetime, actor: str, why: str) -> None:
    """Back to marketing's tracks; earlier refusals no longer bar anyone (offers cleared)."""
    story.owner = None
    for offer in story.offers:
        offer.cleared_at = offer.cleared_at or at
    story.tell("lead.returned", at, actor, {"why": why}, state="cultivating")


def _dispose(ctx: DemoContext, story: LeadStory, at: datetime, actor: UserPlan, outcome: str,
             reason: str | None = None) -> None:
    lost = ctx.playbook.lost_reason(reason) if reason else None
    days = lost.good_fit_returns_after_days if lost else None
    story.returns_at = at + timedelta(days=days) if days else None
    story.tell("lead.disposed", at, actor.email, {
        "outcome": outcome, "reason": reason,
        "returns_at": story.returns_at.isoformat() if story.returns_at else None}, state=outcome)
    story.open_until = at


def _close(ctx: DemoContext, rng: random.Random, story: LeadStory, lead_id: int, account: AccountPlan,
           rep: UserPlan, accepted_at: datetime, channel: str) -> None:
    """The AE's sales cycle: won, lost (with a reason) or not a lead after all."""
    days = rng.uniform(20, 150 if account.employees >= 1000 else 90)
    at = accepted_at + timedelta(days=days)
    if at > ctx.end:
        return
    base = min(0.45, max(0.12, 0.2 + story.fit.total / 400))
    roll, win_share = rng.random(), min(0.8, base * SOURCE_WIN_FACTOR.get(channel, 1.0) * ctx.rep_traits(rep).closing)
    if roll < win_share:
        _dispose(ctx, story, at, rep, "won")
        story.won = _won_deal(rng, lead_id, account, rep, at)
    elif roll < 0.93:
        reason = rng.choice(ctx.playbook.lost_reasons).code
        _dispose(ctx, story, at, rep, "lost", reason)
        ctx.lost_deals.append(LostDeal(lead_id, account.id, rep.email, at, reason,
                                       _won_deal(rng, lead_id, account, rep, at).mrr_minor))
    else:
        _dispose(ctx, story, at, rep, "not_a_lead")


def _won_deal(rng: random.Random, lead_id: int, account: AccountPlan, rep: UserPlan, at: datetime) -> WonDeal:
    plan, price, low, high = names.PLANS[min(2, int(rng.random() * 1.5 + (account.employees >= 200)))]
    seats = rng.randint(low, min(high, max(low, account.employees // 3)))
    term = rng.choices((1, 12, 24, 36), weights=(35, 50, 10, 5))[0]
    return WonDeal(lead_id=lead_id, account_id=account.id, owner_email=rep.email, won_at=at, plan=plan,
                   seats=seats, mrr_minor=seats * price, term_months=term)


def contact(story: LeadStory, at: datetime, via: str) -> None:
    """The owner's first call or e-mail on the accepted offer (stops its first-touch clock)."""
    offer = story.offers[-1]
    offer.touched_at = at
    story.tell("lead.contacted", at, offer.rep.email, {"first": True, "offer": offer.id, "via": via})


def hand_off(story: LeadStory, at: datetime) -> None:
    """The SDR passes the qualified lead on; routing to an AE follows at the same moment."""
    offer = story.offers[-1]
    story.tell("lead.handed_off", at, offer.rep.email, {"from": offer.rep.email, "offer": offer.id,
                                                        "criteria": ["budget", "authority", "need", "timing"]})


def first_touch(ctx: DemoContext, rng: random.Random, story: LeadStory, via: str) -> None:
    """The owner's first contact: inside the SLA as often as the rep is diligent, else late (escalated)."""
    offer = story.offers[-1]
    window = offer.first_touch_by - offer.decided_at
    if ctx.touches_in_time(offer.rep):
        contact(story, offer.decided_at + window * rng.uniform(0.01, 0.9), via)
        return
    if offer.first_touch_by <= ctx.end:
        manager = ctx.managers.get(offer.rep.team or offer.rep.pod or "")
        story.tell("lead.escalated", offer.first_touch_by, CLOCK, {
            "why": "first_touch_expired", "rep": offer.rep.email, "offer": offer.id,
            "managers": [manager.email] if manager else []})
    contact(story, offer.first_touch_by + timedelta(hours=rng.uniform(1, 72)), via)


def _work(ctx: DemoContext, rng: random.Random, story: LeadStory, lead_id: int, account: AccountPlan,
          qualified_at: datetime, channel: str) -> None:
    offered = _offer(ctx, rng, story, account, qualified_at, handoff=False, actor=ROUTER)
    if offered is None:
        return
    rep, at = offered
    if rep.sales_role == "sdr":
        first_touch(ctx, rng, story, "call")
        at = max(at + timedelta(days=rng.uniform(3, 20)), story.offers[-1].touched_at + timedelta(hours=1))
        if at > ctx.end:
            return
        if rng.random() < SDR_NOT_A_LEAD_SHARE:
            _dispose(ctx, story, at, rep, "not_a_lead")
            return
        hand_off(story, at)
        offered = _offer(ctx, rng, story, account, at, handoff=True, actor=rep.email)
        if offered is None:
            return
        rep, at = offered
    first_touch(ctx, rng, story, "email")
    _close(ctx, rng, story, lead_id, account, rep, at, channel)


def tell_story(ctx: DemoContext, rng: random.Random, lead_id: int, person: PersonPlan, account: AccountPlan,
               channel: str, campaign_id: int, created_at: datetime) -> LeadStory:
    """A lead's whole life from capture to the as-of date."""
    story = LeadStory(fit=person.fit, created_at=created_at)
    for _ in range(rng.choice((0, 0, 1, 2))):  # anonymous visits merged into the history
        story.touches.append(("page_visit", created_at - timedelta(days=rng.uniform(1, 40))))
    capture = next(touch for name, _, _, touch in names.CHANNELS if name == channel)
    story.tell("lead.captured", created_at, "system", {"source": channel, "campaign_id": campaign_id})
    touch(ctx, story, capture, created_at)
    qualify = story.score.is_mql or rng.random() < mql_intent(person.fit.total)
    qualified_at = created_at if story.score.is_mql else None
    if qualified_at is None:
        story.tell("lead.cultivating", created_at, "system", {"track": "default"}, state="cultivating")
        qualified_at = _nurture(ctx, rng, story, created_at, ctx.end, qualify=qualify)
    if qualified_at is None:
        return story
    story.is_mql = True
    story.tell("lead.qualified", qualified_at, "system", score_data(story), state="mql")
    _work(ctx, rng, story, lead_id, account, qualified_at, channel)
    return story
