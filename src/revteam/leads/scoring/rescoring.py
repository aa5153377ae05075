"""Re-scoring open leads when the playbook changes, or when a new prediction changes what their MQL
condition reads; the old scores stay in their events."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.events.service import record_bulk
from revteam.leads.intake.events import scoring_move_event
from revteam.leads.models import OPEN_LEAD, Lead
from revteam.leads.scoring.stored import score_stored_leads
from revteam.leads.scoring.writes import NewScore, ScoreWritten, write_new_scores
from revteam.db.key_lists import among
from revteam.playbook.schema import Playbook
from revteam.playbook.versions import active

BATCH = 2_000


def _open_leads(session: Session, after_id: int):
    query = select(Lead.id, Lead.version).where(OPEN_LEAD, Lead.id > after_id).order_by(Lead.id).limit(BATCH)
    return session.execute(query).all()


def score_events(done: ScoreWritten, *, now: datetime, actor: str, reason: str) -> list[dict]:
    """The events of a new score written on a stored lead: scored (with why), and the move it made."""
    events = [{"type": "lead.scored", "subject_type": "lead", "subject_id": done.lead_id, "actor": actor, "at": now,
               "data": {**done.score.event_data(), "reason": reason}}]
    if done.moved:
        events.append({"type": scoring_move_event(done.state), "subject_type": "lead", "subject_id": done.lead_id,
                       "actor": actor, "at": now, "data": {"from": done.state_before, "to": done.state}})
    return events


def reads_prediction(playbook: Playbook) -> bool:
    """Whether the playbook's MQL decision reads the predictive score (an `mql_when` on lead.predicted)."""
    return any(condition.field == "lead.predicted" for condition in playbook.mql_when)


def _rescore(session: Session, rows, *, now: datetime, actor: str, reason: str) -> list[ScoreWritten]:
    current = active(session)
    scored = score_stored_leads(session, current.playbook, [row.id for row in rows], now=now)
    scores = [NewScore(row.id, row.version, scored[row.id]) for row in rows if row.id in scored]
    written = write_new_scores(session, scores, version_id=current.version_id, now=now)
    record_bulk(session, [event for done in written for event in score_events(done, now=now, actor=actor, reason=reason)])
    return written


def rescore_open_leads(session: Session, *, now: datetime, actor: str) -> int:
    """Score every open lead under the active playbook, recording each new score as an event (a lead moved
    meanwhile is re-decided from its new state, one closed meanwhile is left out: leads/scoring/writes.py)."""
    rescored, after_id = 0, 0
    while rows := _open_leads(session, after_id):
        written = _rescore(session, rows, now=now, actor=actor, reason="playbook changed")
        rescored, after_id = rescored + len(written), rows[-1].id
    return rescored


def rescore_leads(session: Session, lead_ids: list[int], *, now: datetime, actor: str,
                  reason: str) -> list[ScoreWritten]:
    """Score these leads again, those still open, as rescore_open_leads does; the scores written."""
    written = []
    for start in range(0, len(lead_ids), BATCH):
        query = select(Lead.id, Lead.version).where(among(session, Lead.id, lead_ids[start:start + BATCH]), OPEN_LEAD)
        written += _rescore(session, session.execute(query.order_by(Lead.id)).all(), now=now, actor=actor,
                            reason=reason)
    return written
