"""Writing new scores onto leads that already exist (a playbook change, an import's new touch).

A re-score reads leads, computes their scores, then writes; meanwhile another action may move a
lead (route it, say). The write locks each lead and reads it again: when its version is no longer
the one read, its move is decided again from the state it has now (its score stands: a score does
not read the lead's state), so a lead routed meanwhile stays routed. A lead closed meanwhile is
left as it is. The UPDATE is conditional on the version read under the lock, as every move is.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.db.bulk import Storage, update_rows
from revteam.db.key_lists import among
from revteam.db.locks import locking
from revteam.leads.models import OPEN_LEAD, Lead
from revteam.leads.scoring.rules import LeadScore
from revteam.leads.states import LeadState, state_after_scoring


@dataclass(frozen=True, slots=True)
class NewScore:
    lead_id: int
    version: int  # the lead's version when it was read for scoring
    score: LeadScore


@dataclass(frozen=True, slots=True)
class ScoreWritten:
    lead_id: int
    score: LeadScore
    state_before: LeadState
    state: LeadState

    @property
    def moved(self) -> bool:
        return self.state != self.state_before


_SCORE_COLUMNS = ("fit_score", "engagement_score", "score", "is_mql")  # LeadScore.columns()
_WRITTEN_COLUMNS = ("version", "state", "scored_with", "updated_at", *_SCORE_COLUMNS)


def _lock_open(session: Session, lead_ids: list[int]) -> dict[int, tuple[str, int]]:
    query = (select(Lead.id, Lead.state, Lead.version).where(among(session, Lead.id, lead_ids), OPEN_LEAD)
             .order_by(Lead.id))  # every writer locks in id order, so two never wait on each other
    return {row.id: (row.state, row.version) for row in session.execute(locking(session, query))}


def write_new_scores(session: Session, scores: list[NewScore], *, version_id: int,
                     now: datetime) -> list[ScoreWritten]:
    """Store each new score and the move it makes, in the caller's transaction; returns what was written."""
    if not scores:
        return []
    stored = _lock_open(session, [new.lead_id for new in scores])
    written, values, stored_now = [], [], Storage.of(session).time(now)
    for new in scores:
        if new.lead_id not in stored:
            continue
        # Decided from the state under the lock: the one read at new.version may be stale.
        state, version = stored[new.lead_id]
        done = ScoreWritten(new.lead_id, new.score, LeadState(state), state_after_scoring(new.lead_id, state,
                                                                                          new.score.is_mql))
        written.append(done)
        # A move is a new version of the lead (a new stay in cultivation, say); a new score alone is not.
        columns = new.score.columns()
        values.append((version + done.moved, done.state.value, version_id, stored_now,
                       *(columns[name] for name in _SCORE_COLUMNS), new.lead_id, version))
    update_rows(session, Lead.__tablename__, _WRITTEN_COLUMNS, ("id", "version"), values)
    return written
