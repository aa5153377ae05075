"""The demo company as plain data: sizes, promised rates, the generated plan and the summary.

Stages read and extend `DemoContext`; later issues add fields and stages of their own.
"""

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine

from revteam.leads.scoring.rules import ScoreResult
from revteam.playbook.schema import Playbook


@dataclass(frozen=True)
class DemoSize:
    accounts: int
    leads: int
    reps: int
    months: int = 26


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(accounts=300, leads=3_000, reps=12),
    "medium": DemoSize(accounts=5_000, leads=60_000, reps=40),
    "large": DemoSize(accounts=100_000, leads=1_000_000, reps=200),
}

# What the generated company promises, checked by the tests against the database:
# mql = is_mql / leads; accept = accepted / (accepted + rejected) decisions; reject its complement;
# win = won / disposed leads; churn = churned customers per customer-year; events = events per lead.
PROMISED_RATES: dict[str, tuple[float, float]] = {
    "mql": (0.35, 0.45),
    "accept": (0.70, 0.80),
    "reject": (0.20, 0.30),
    "win": (0.20, 0.30),
    "churn": (0.08, 0.15),
}
MIN_EVENTS_PER_LEAD = 10
DILIGENCE = (0.62, 0.90)  # the reps' shares of first touches inside the SLA, lowest and highest
DEMO_PASSWORD = "demo-password"
DEMO_DOMAIN = "demo.revteam.dev"


@dataclass
class UserPlan:
    id: int
    email: str
    name: str
    role: str
    sales_role: str | None = None
    team: str | None = None
    pod: str | None = None
    territory: str | None = None


@dataclass(slots=True)
class AccountPlan:
    id: int
    name: str
    domain: str
    industry: str
    employees: int
    country: str
    region: str
    owner_id: int | None = None
    pod: str | None = None
    people: list[int] = field(default_factory=list)


@dataclass(slots=True)
class PersonPlan:
    id: int
    account_id: int
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    title: str
    committee_role: str
    country: str
    free_email: bool
    fit: ScoreResult = ScoreResult(0, [])
    busy_until: datetime | None = None  # while a lead of theirs is open, no new lead


@dataclass(frozen=True)
class CampaignPlan:
    id: int
    name: str
    channel: str
    cost_minor: int
    started_on: datetime


@dataclass(frozen=True)
class WonDeal:
    """A won lead, the customer it made: the seed of later revenue records."""

    lead_id: int
    account_id: int
    owner_email: str
    won_at: datetime
    plan: str
    seats: int
    mrr_minor: int
    term_months: int
    churned_at: datetime | None = None


GOLDEN = (math.sqrt(5) - 1) / 2


def spread(start: float, index: int) -> float:
    """The `index`-th point of a golden-ratio sequence from `start`: as evenly spread over 0..1 as
    points can be for any count, so a small demo shows its promised shares (a handful of independent
    draws can all land high in one seed and all low in the next) while each point still looks random."""
    return (start + index * GOLDEN) % 1


@dataclass(frozen=True)
class RepTraits:
    """How a rep works: the share of first touches made inside the SLA, and how well they close;
    `touch_phase` starts the rep's own sequence of first touches (see DemoContext.touches_in_time)."""

    diligence: float
    closing: float
    touch_phase: float


@dataclass(frozen=True)
class LostDeal:
    """An opportunity the AE lost: written as a lost opportunity, so opportunity -> won is honest."""

    lead_id: int
    account_id: int
    owner_email: str
    lost_at: datetime
    reason: str
    mrr_minor: int


@dataclass
class DemoContext:
    engine: Engine
    size_name: str
    size: DemoSize
    seed: int
    as_of: date
    playbook: Playbook
    playbook_version_id: int
    password_hash: str = ""
    users: list[UserPlan] = field(default_factory=list)
    teams: dict[str, int] = field(default_factory=dict)
    pods: dict[str, int] = field(default_factory=dict)
    accounts: list[AccountPlan] = field(default_factory=list)
    people: dict[int, PersonPlan] = field(default_factory=dict)
    campaigns: dict[tuple[str, str], CampaignPlan] = field(default_factory=dict)
    members: dict[str, list[UserPlan]] = field(default_factory=dict)  # team or pod -> its reps
    managers: dict[str, UserPlan] = field(default_factory=dict)
    won_deals: list[WonDeal] = field(default_factory=list)
    lost_deals: list[LostDeal] = field(default_factory=list)
    traits: dict[int, RepTraits] = field(default_factory=dict)
    first_touches: Counter = field(default_factory=Counter)  # rep id -> first touches made so far
    emails: set[str] = field(default_factory=set)
    fit_cache: dict[tuple, ScoreResult] = field(default_factory=dict)
    next_ids: Counter = field(default_factory=Counter)
    counts: Counter = field(default_factory=Counter)

    def rng(self, stage: str) -> random.Random:
        """A stage's own random stream: adding a stage never changes the others' data."""
        return random.Random(f"{self.seed}/{stage}")

    def rep_traits(self, rep: UserPlan) -> RepTraits:
        """The rep's own habits, drawn once from their own stream (so reps differ, reproducibly).
        Diligence is spread over the reps by their ids, so the team always ranges from careless to
        careful rather than, by chance, bunching together."""
        if rep.id not in self.traits:
            rng, low, high = self.rng(f"rep/{rep.id}"), *DILIGENCE
            diligence = low + (high - low) * spread(self.rng("reps").random(), rep.id)
            touch_phase = rng.random()  # drawn where diligence was, so closing keeps its draw
            self.traits[rep.id] = RepTraits(diligence=diligence, closing=rng.uniform(0.45, 1.1), touch_phase=touch_phase)
        return self.traits[rep.id]

    def touches_in_time(self, rep: UserPlan) -> bool:
        """Whether the rep's next first touch is inside the SLA: a share of them equal to the rep's
        diligence, spread over their touches, so even a rep with 30 touches shows their own rate."""
        traits, turn = self.rep_traits(rep), self.first_touches[rep.id]
        self.first_touches[rep.id] += 1
        return spread(traits.touch_phase, turn) < traits.diligence

    def take_id(self, table: str) -> int:
        """The next id of `table`; the database starts empty, so ids are known up front."""
        self.next_ids[table] += 1
        return self.next_ids[table]

    @property
    def end(self) -> datetime:
        return datetime.combine(self.as_of, time(0), tzinfo=UTC)

    @property
    def start(self) -> datetime:
        return self.end - timedelta(days=round(self.size.months * 30.44))


@dataclass
class DemoSummary:
    size: str
    seed: int
    as_of: date
    counts: dict[str, int]
    leads_by_state: dict[str, int]
    users_by_role: dict[str, int]

    def rows(self) -> list[tuple[str, str]]:
        """Label and value pairs for printing."""
        rows = [("size", self.size), ("seed", str(self.seed)), ("as of", self.as_of.isoformat())]
        rows += [(name, f"{count:,}") for name, count in self.counts.items()]
        rows += [(f"leads {state}", f"{count:,}") for state, count in sorted(self.leads_by_state.items())]
        rows += [(f"users {role}", f"{count:,}") for role, count in sorted(self.users_by_role.items())]
        return rows
