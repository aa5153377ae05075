"""What the model may know of a lead: its facts at creation and its engagement in the window after.

A lead's snapshot is taken as of the end of its window (the playbook's `predictive.window_days`
after its creation), or earlier: when it closed, or now for a lead still young. Nothing after that
moment is read, and nothing of the outcome: not the lead's state, owner or stored scores (they are
recomputed from later touches), nor the account's owner (sales assigns one to the accounts it
wins) nor the person's committee role (reps set it while they work the lead). The facts come
from the one facts builder (`leads/scoring/facts.py`), so the model reads the same names as every
rule; the playbook's own score is computed from the same snapshot, so the
backtest compares the two on equal terms.
"""

import math
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.db.key_lists import among
from revteam.events.models import Event
from revteam.leads.models import Activity, Lead
from revteam.leads.scoring.facts import facts_for_leads
from revteam.leads.scoring.rules import fit_score, score_lead
from revteam.playbook.schema import Playbook

# Facts the model never reads: they are written after the moment it predicts from.
_LATER_FACTS = ("lead.fit_score", "lead.engagement_score", "lead.score", "lead.predicted", "account.owner",
                "person.committee_role")
_CATEGORIES = ("lead.source", "lead.campaign", "lead.country", "lead.product_interest", "account.industry",
               "account.country", "account.tier", "person.free_email", "account.is_competitor")

Touch = tuple[str, str | None, datetime]  # type, channel (the touch's source), when


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A lead as the model sees it: its features, and the playbook's own score from the same knowledge."""

    lead_id: int
    created_at: datetime
    as_of: datetime
    features: dict[str, Any]
    rule_score: int


def features_of(playbook: Playbook, facts: dict[str, Any], touches: list[Touch], account_touches: int) -> dict[str, Any]:
    """The model's inputs: facts as categories, the fit rules that hold, log counts of the engagement."""
    features: dict[str, Any] = {name: str(facts[name]) for name in _CATEGORIES if facts.get(name) is not None}
    features.update({f"fit rule {line.rule}": 1.0 for line in fit_score(playbook, facts).lines})
    if facts.get("account.employees") is not None:
        features["account.employees (log)"] = math.log1p(max(facts["account.employees"], 0))
    points = playbook.engagement.points
    by_type = Counter(kind for kind, _, _ in touches)
    features.update({f"touches {kind} (log)": math.log1p(count) for kind, count in by_type.items()})
    # A touch's channel is its source; one that is the lead's own source says nothing its source does not.
    by_channel = Counter(channel for _, channel, _ in touches if channel and channel != facts.get("lead.source"))
    features.update({f"touches via {channel} (log)": math.log1p(count) for channel, count in by_channel.items()})
    features["touches (log)"] = math.log1p(len(touches))
    features["engagement points (log)"] = math.log1p(sum(points.get(kind, 0) for kind, _, _ in touches))
    features["days active"] = float(len({at.date() for _, _, at in touches}))
    features["account touches (log)"] = math.log1p(account_touches)
    return features


def _closed_at(session: Session, lead_ids: Collection[int]) -> dict[int, datetime]:
    query = (select(Event.subject_id, func.max(Event.at)).where(
        Event.type == "lead.disposed", Event.subject_type == "lead", among(session, Event.subject_id, lead_ids))
        .group_by(Event.subject_id))
    return dict(session.execute(query).all())


def _touches(session: Session, lead_ids: Collection[int]) -> dict[int, list[Touch]]:
    query = select(Activity.lead_id, Activity.type, Activity.source, Activity.at).where(
        among(session, Activity.lead_id, lead_ids)).order_by(Activity.at)
    by_lead: dict[int, list[Touch]] = {}
    for lead_id, kind, channel, at in session.execute(query):
        by_lead.setdefault(lead_id, []).append((kind, channel, at))
    return by_lead


def _account_touch_times(session: Session, account_ids: Collection[int]) -> dict[int, list[tuple[datetime, int]]]:
    query = (select(Lead.account_id, Activity.at, Activity.lead_id).join(Lead, Lead.id == Activity.lead_id)
             .where(among(session, Lead.account_id, account_ids)).order_by(Activity.at))
    by_account: dict[int, list[tuple[datetime, int]]] = {}
    for account_id, at, lead_id in session.execute(query):
        by_account.setdefault(account_id, []).append((at, lead_id))
    return by_account


def _others_between(times: list[tuple[datetime, int]], lead_id: int, start: datetime, end: datetime) -> int:
    """Touches of the account's other leads from `start` to `end`."""
    low, high = bisect_left(times, (start, -1)), bisect_right(times, (end, math.inf))
    return sum(1 for _, other in times[low:high] if other != lead_id)


AccountTouches = dict[int, list[tuple[datetime, int]]]  # by account: (when, lead) of every touch, in time order


@dataclass(frozen=True, slots=True)
class Known:
    """What a snapshot is taken from: a lead's facts (the one facts builder's), its touches, its dates."""

    lead_id: int
    account_id: int | None
    created_at: datetime
    closed_at: datetime | None
    facts: dict[str, Any]
    touches: list[Touch]


def _snapshot(playbook: Playbook, lead: Known, accounts: AccountTouches, now: datetime) -> Snapshot:
    """The lead as of the end of its window, its closing, or now, whichever comes first."""
    window = timedelta(days=playbook.predictive.window_days)
    as_of = min(lead.created_at + window, lead.closed_at or now, now)
    known = {name: value for name, value in lead.facts.items() if name not in _LATER_FACTS}
    seen = [touch for touch in lead.touches if touch[2] <= as_of]
    others = _others_between(accounts.get(lead.account_id, []), lead.lead_id, lead.created_at - window, as_of)
    rule_score = score_lead(playbook, known, [(kind, at) for kind, _, at in seen], now=as_of).total
    return Snapshot(lead.lead_id, lead.created_at, as_of, features_of(playbook, known, seen, others), rule_score)


def snapshots(session: Session, lead_ids: Collection[int], *, playbook: Playbook, now: datetime) -> list[Snapshot]:
    """The snapshot of each of these stored leads, oldest first."""
    if not lead_ids:
        return []
    leads = session.execute(select(Lead.id, Lead.created_at, Lead.account_id)
                            .where(among(session, Lead.id, lead_ids)).order_by(Lead.created_at, Lead.id)).all()
    facts, closed, touches = (facts_for_leads(session, lead_ids), _closed_at(session, lead_ids),
                              _touches(session, lead_ids))
    accounts = _account_touch_times(session, {lead.account_id for lead in leads if lead.account_id is not None})
    return [_snapshot(playbook, Known(lead.id, lead.account_id, lead.created_at, closed.get(lead.id), facts[lead.id],
                                      touches.get(lead.id, [])), accounts, now) for lead in leads]


def arrival_snapshots(session: Session, arrivals: list[Known], unstored: list[tuple[int, int, datetime]], *,
                      playbook: Playbook, now: datetime) -> list[Snapshot]:
    """The snapshots of leads intake is landing, from the facts and touches it has for them; their
    accounts' stored touches are read, and `unstored` adds the touches (account, lead, when) that
    the same slice is about to write, so each lead sees what it will see once stored."""
    accounts = _account_touch_times(session, {lead.account_id for lead in arrivals if lead.account_id is not None})
    for account_id, lead_id, at in unstored:
        insort(accounts.setdefault(account_id, []), (at, lead_id))
    return [_snapshot(playbook, lead, accounts, now) for lead in arrivals]
