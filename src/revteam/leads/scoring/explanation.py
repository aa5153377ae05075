"""Why a lead has its score: the lines of its latest `lead.scored` event, for the lead page, the
inbox, the API and the CLI alike."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from revteam.events.models import Event


def _explained(event: Event) -> dict[str, Any]:
    data = event.data
    lines = [{"kind": kind, "rule": rule, "points": points} for kind, rule, points in data.get("lines", [])]
    return {**{key: data.get(key) for key in ("fit", "engagement", "total", "mql")}, "lines": lines,
            "playbook_version": event.playbook_version_id}


def score_explanations(session: Session, lead_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each lead's latest score explained: totals, MQL, the rule lines and the playbook version."""
    if not lead_ids:
        return {}
    latest = (select(func.max(Event.id)).where(Event.subject_type == "lead", Event.subject_id.in_(lead_ids),
                                               Event.type == "lead.scored").group_by(Event.subject_id))
    return {event.subject_id: _explained(event) for event in session.scalars(select(Event).where(Event.id.in_(latest)))}
