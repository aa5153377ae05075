"""The events one landed person writes: captured or merged, scored, qualified."""

from typing import Any

from revteam.leads.scoring.rules import LeadScore


def _lead_event(plan, type: str, at, actor: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": type, "subject_type": "lead", "subject_id": plan.lead_id, "actor": actor, "at": at, "data": data}


def _arrival(row, batch: str) -> dict[str, Any]:
    arrival = {"batch": batch, "line": row.line, "source": row.source, "campaign": row.campaign}
    if row.warnings:
        arrival["warnings"] = row.warnings
    return arrival


def scoring_move_event(state: str) -> str:
    """The event a score-driven move writes: into MQL, or into cultivation."""
    return "lead.qualified" if state == "mql" else "lead.cultivating"


def plan_events(plan, score: LeadScore, state_before: str, context) -> list[dict[str, Any]]:
    """Events for one person's rows in this slice, in the order they happened."""
    events = []
    rows = list(plan.rows)
    if plan.lead_created:
        first = rows.pop(0)
        captured = {**_arrival(first, context.batch), "person_id": plan.person_id, "account_id": plan.account_id,
                    "account_match": plan.match_how, "known_person": not plan.is_new_person}
        if plan.suggestions:
            captured["account_suggestions"] = [{"account_id": a, "similarity": s} for a, s in plan.suggestions]
        events.append(_lead_event(plan, "lead.captured", context.now, context.actor, captured))
    for row in rows:
        events.append(_lead_event(plan, "lead.merged", context.now, context.actor, _arrival(row, context.batch)))
    events.append(_lead_event(plan, "lead.scored", context.now, "system", score.event_data()))
    if plan.state != state_before and state_before is not None:
        events.append(_lead_event(plan, scoring_move_event(plan.state), context.now, "system",
                                  {"from": state_before, "to": plan.state, "score": score.total}))
    return events
