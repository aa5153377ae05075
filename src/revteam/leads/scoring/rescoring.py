"""Re-scoring open leads when the playbook changes; the old scores stay in their events."""

from datetime import datetime
from itertools import groupby

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from revteam.events.service import record_many
from revteam.leads.scoring.facts import facts_for_leads
from revteam.leads.intake.events import scoring_move_event
from revteam.leads.models import OPEN_LEAD, Activity, Lead
from revteam.leads.scoring.rules import score_lead
from revteam.leads.states import state_after_scoring
from revteam.playbook.versions import active

BATCH = 2_000


def _open_leads(session: Session, after_id: int):
    query = select(Lead.id, Lead.state).where(OPEN_LEAD, Lead.id > after_id).order_by(Lead.id).limit(BATCH)
    return session.execute(query).all()


def _activities(session: Session, lead_ids: list[int]) -> dict[int, list]:
    query = select(Activity.lead_id, Activity.type, Activity.at).where(Activity.lead_id.in_(lead_ids))
    rows = sorted(session.execute(query).all(), key=lambda row: row.lead_id)
    return {lead_id: [(r.type, r.at) for r in group] for lead_id, group in groupby(rows, key=lambda r: r.lead_id)}


def rescore_open_leads(session: Session, *, now: datetime, actor: str) -> int:
    """Score every open lead under the active playbook, recording each new score as an event."""
    current, rescored, after_id = active(session), 0, 0
    while rows := _open_leads(session, after_id):
        lead_ids = [row.id for row in rows]
        touches, facts = _activities(session, lead_ids), facts_for_leads(session, lead_ids)
        updates, events = [], []
        for row in rows:
            score = score_lead(current.playbook, facts[row.id], touches.get(row.id, []), now=now)
            state = state_after_scoring(row.id, row.state, score.is_mql)
            updates.append({"lead_id": row.id, **score.columns(), "state": state, "moved": int(state != row.state),
                            "scored_with": current.version_id, "updated_at": now})
            events.append({"type": "lead.scored", "subject_type": "lead", "subject_id": row.id, "actor": actor,
                           "at": now, "data": {**score.event_data(), "reason": "playbook changed"}})
            if state != row.state:
                events.append({"type": scoring_move_event(state), "subject_type": "lead", "subject_id": row.id,
                               "actor": actor, "at": now, "data": {"from": row.state, "to": state}})
        # A move is a new version of the lead (a new stay in cultivation, say); a new score alone is not.
        moved = update(Lead).where(Lead.id == bindparam("lead_id")).values(version=Lead.version + bindparam("moved"))
        session.connection().execute(moved, updates)
        record_many(session, events)
        rescored, after_id = rescored + len(rows), rows[-1].id
    return rescored
