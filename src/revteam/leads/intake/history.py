"""Landing closed historical leads: history, not new work.

A row whose export says the lead was won, lost or not a lead lands as a lead of its own, created
at its creation date and closed at its closing date, with its events at those dates: captured and
scored (as the playbook scores it at creation) when it was created, disposed when it closed. It is
never routed, offered, enrolled in a track nor scheduled to return, so the funnel and the
predictive model see the past as it was without anyone being asked to work it.
"""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from revteam.accounts.models import Person
from revteam.db.bulk import Storage, insert_rows
from revteam.db.ids import reserve_ids
from revteam.events.service import record_bulk
from revteam.leads.intake.formats import CanonicalRow
from revteam.leads.intake.plan import PersonPlan
from revteam.leads.intake.write import LEAD_COLUMNS, PERSON_COLUMNS, TOUCH_COLUMNS, person_row
from revteam.leads.models import Activity, Lead
from revteam.leads.scoring.facts import lead_facts
from revteam.leads.scoring.rules import LeadScore, score_lead
from revteam.playbook.versions import ActivePlaybook


def closing_moment(row: CanonicalRow, created: datetime) -> datetime:
    """When the lead closed: the export's date, never before its creation; its creation when the export has none."""
    return max(row.closed_at or created, created)


def _event(lead_id: int, type: str, at: datetime, actor: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": type, "subject_type": "lead", "subject_id": lead_id, "actor": actor, "at": at, "data": data}


def _events(plan: PersonPlan, row: CanonicalRow, lead_id: int, score: LeadScore, context) -> list[dict[str, Any]]:
    created = row.created_at or context.now
    captured = {"batch": context.batch, "line": row.line, "source": row.source, "campaign": row.campaign,
                "person_id": plan.person_id, "account_id": plan.account_id, "account_match": plan.match_how,
                "known_person": not plan.is_new_person, "historical": True}
    if row.warnings:
        captured["warnings"] = row.warnings
    disposed = {"outcome": row.outcome, "reason": None, "returns_at": None, "historical": True}
    return [_event(lead_id, "lead.captured", created, context.actor, captured),
            _event(lead_id, "lead.scored", created, "system", score.event_data()),
            _event(lead_id, "lead.disposed", closing_moment(row, created), context.actor, disposed)]


def write_history(session: Session, plans: list[PersonPlan], context, current: ActivePlaybook,
                  accounts: dict[int, dict[str, Any]]) -> list[int]:
    """Persist the closed leads of these planned people (new people too); returns the new lead ids."""
    storage = Storage.of(session)
    insert_rows(session, Person.__tablename__, PERSON_COLUMNS,
                [person_row(plan, storage, context.now) for plan in plans if plan.is_new_person])
    closed = [(plan, row) for plan in plans for row in plan.rows]
    lead_ids = reserve_ids(session, Lead.__table__, len(closed))
    leads, touches, events = [], [], []
    for (plan, row), lead_id in zip(closed, lead_ids, strict=True):
        created = row.created_at or context.now
        facts = lead_facts(plan.fact_values(accounts.get(plan.account_id), row))
        score = score_lead(current.playbook, facts, [(context.touch_type, created)], now=created)
        campaign_id = context.campaigns.get(row.campaign) if row.campaign else None
        leads.append((lead_id, plan.person_id, plan.account_id, campaign_id, row.outcome, row.source,
                      row.product_interest, score.fit.total, score.engagement.total, score.total, score.is_mql,
                      current.version_id, 1, storage.json(row.custom or None), storage.time(created),
                      storage.time(closing_moment(row, created))))
        touches.append((plan.person_id, lead_id, context.touch_type, storage.time(created), row.source))
        events += _events(plan, row, lead_id, score, context)
    insert_rows(session, Lead.__tablename__, LEAD_COLUMNS, leads)
    insert_rows(session, Activity.__tablename__, TOUCH_COLUMNS, touches)
    record_bulk(session, events)
    return lead_ids
