"""The leads a simulation replays, read in a few batched queries: those created or first routed in
the window, with the facts every rule reads (the one facts builder), their touches and what was
recorded (the first offer in the window: its rep and rule; when the lead left the reps' hands)."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.db.key_lists import among
from revteam.leads.flow.offering import LOADED_STATES
from revteam.leads.models import Activity, Lead
from revteam.leads.scoring.facts import facts_for_leads
from revteam.playbook.schema import Playbook
from revteam.routing.models import Offer, Stage

BATCH = 20_000
_LOADED = frozenset(state.value for state in LOADED_STATES)


@dataclass(frozen=True, slots=True)
class Recorded:
    """The lead's first routing in the window as it happened."""

    rep_id: int
    rule: str | None
    passed_over: frozenset[str] = frozenset()  # why reps were skipped then (away, at capacity...)


@dataclass(frozen=True, slots=True)
class PastLead:
    lead_id: int
    at: datetime  # when the replay decides: the recorded first routing in the window, else creation
    facts: dict[str, Any]  # the stored facts; the replay puts its own scores in
    touches: list[tuple[str, datetime]]  # touches up to `at`, what engagement is scored from
    held_until: datetime | None  # when it left the reps' hands in reality (None: it is still with one)
    recorded: Recorded | None


def _first_offers(session: Session, start: datetime, end: datetime) -> dict[int, tuple[datetime, Recorded]]:
    query = (select(Offer.lead_id, Offer.offered_at, Offer.rep_id, Offer.decision)
             .where(Offer.stage == Stage.sdr.value, Offer.offered_at >= start, Offer.offered_at < end)
             .order_by(Offer.offered_at, Offer.id))
    first: dict[int, tuple[datetime, Recorded]] = {}
    for row in session.connection().execute(query):
        decision = row.decision or {}
        skipped = frozenset(entry.get("reason") for entry in decision.get("skipped") or ())
        first.setdefault(row.lead_id, (row.offered_at, Recorded(row.rep_id, decision.get("rule"), skipped)))
    return first


def _touches(session: Session, lead_ids: list[int]) -> dict[int, list[tuple[str, datetime]]]:
    touches: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    query = select(Activity.lead_id, Activity.type, Activity.at).where(among(session, Activity.lead_id, lead_ids))
    for row in session.connection().execute(query):
        touches[row.lead_id].append((row.type, row.at))
    return touches


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]


def _leads(session: Session, lead_ids: list[int]):
    query = select(Lead.id, Lead.created_at, Lead.state, Lead.updated_at).where(among(session, Lead.id, lead_ids))
    return session.connection().execute(query).all()


def past_leads(session: Session, start: datetime, end: datetime, playbooks: Sequence[Playbook]) -> list[PastLead]:
    """Every lead created or first routed in [start, end), in the order the replay decides them, with the
    facts these playbooks' conditions read."""
    routed = _first_offers(session, start, end)
    created = session.scalars(select(Lead.id).where(Lead.created_at >= start, Lead.created_at < end)).all()
    ids = sorted(set(created) | set(routed))
    leads = []
    for batch in _batches(ids):
        facts, touches = facts_for_leads(session, batch, read_by=playbooks), _touches(session, batch)
        for row in _leads(session, batch):
            at, recorded = routed.get(row.id, (row.created_at, None))
            leads.append(PastLead(
                row.id, at, facts[row.id], [touch for touch in touches.get(row.id, ()) if touch[1] <= at],
                None if row.state in _LOADED else row.updated_at, recorded))
    leads.sort(key=lambda lead: (lead.at, lead.lead_id))
    return leads
