"""Scores of many stored leads at once: their facts in a few queries (facts.py) and their engagement
summed by the database, per lead and activity type, instead of every touch read into Python.

The figures are those of `score_lead` over the same touches (rules.py builds both from the same
sums); only the summing moved. An import touching fifty thousand leads with a million touches
reads fifty thousand lines per type, not a million rows.
"""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.db.key_lists import among
from revteam.leads.models import Activity
from revteam.leads.scoring.facts import facts_for_leads
from revteam.leads.scoring.rules import (LeadScore, ScoreResult, combined_score, engagement_from_sums,
                                         fit_score)
from revteam.leads.scoring.touch_decay import touch_decay
from revteam.playbook.schema import Playbook


def stored_engagement(session: Session, playbook: Playbook, lead_ids: Collection[int], *,
                      now: datetime) -> dict[int, ScoreResult]:
    """The engagement of these leads from every touch stored on them, by lead id (none: no touches)."""
    if not lead_ids:
        return {}
    decay = func.sum(touch_decay(session, playbook, now))
    # Types in the order their first touch landed, as engagement_score lists them over stored touches.
    query = (select(Activity.lead_id, Activity.type, func.count(), decay)
             .where(among(session, Activity.lead_id, lead_ids))
             .group_by(Activity.lead_id, Activity.type).order_by(Activity.lead_id, func.min(Activity.id)))
    sums: dict[int, list] = {}
    for lead_id, kind, count, decayed in session.execute(query):
        sums.setdefault(lead_id, []).append((kind, count, float(decayed)))
    return {lead_id: engagement_from_sums(playbook, lines) for lead_id, lines in sums.items()}


def score_stored_leads(session: Session, playbook: Playbook, lead_ids: Collection[int], *,
                       now: datetime) -> dict[int, LeadScore]:
    """The score of each of these stored leads under the playbook, as of `now`, by lead id."""
    facts, engagement = facts_for_leads(session, lead_ids), stored_engagement(session, playbook, lead_ids, now=now)
    no_touches = engagement_from_sums(playbook, [])
    return {lead_id: combined_score(playbook, fit_score(playbook, facts[lead_id]),
                                    engagement.get(lead_id, no_touches), facts[lead_id])
            for lead_id in lead_ids if lead_id in facts}
