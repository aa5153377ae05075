"""Writing one planned and scored slice: new people, new leads with their first score, one touch
per row, the new scores of leads that were already open, account suggestions and the events."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from revteam.accounts.models import Person
from revteam.events.service import record_bulk
from revteam.db.bulk import Storage, insert_rows
from revteam.leads.intake.events import plan_events
from revteam.leads.intake.plan import PersonPlan
from revteam.leads.models import AccountSuggestion, Activity, Lead
from revteam.leads.scoring.writes import NewScore, write_new_scores

PERSON_COLUMNS = ("id", "account_id", "first_name", "last_name", "email", "email_normalized", "phone_e164", "title",
                  "committee_role", "country", "custom", "created_at")
LEAD_COLUMNS = ("id", "person_id", "account_id", "campaign_id", "state", "source", "product_interest", "fit_score",
                "engagement_score", "score", "is_mql", "scored_with", "version", "custom", "created_at", "updated_at")
TOUCH_COLUMNS = ("person_id", "lead_id", "type", "at", "source")
SUGGESTION_COLUMNS = ("lead_id", "account_id", "similarity")


def person_row(plan: PersonPlan, storage: Storage, now: datetime) -> tuple:
    row = plan.first
    return (plan.person_id, plan.account_id, row.first_name, row.last_name, row.email, row.email_normalized,
            row.phone_e164, row.title, plan.committee_role, row.country_code, storage.json(row.custom or None),
            storage.time(row.created_at or now))


def _lead_row(plan: PersonPlan, storage: Storage, context, version_id: int) -> tuple:
    row, score = plan.first, plan.score
    campaign_id = context.campaigns.get(row.campaign) if row.campaign else None
    return (plan.lead_id, plan.person_id, plan.account_id, campaign_id, plan.state, row.source, row.product_interest,
            score.fit.total, score.engagement.total, score.total, score.is_mql, version_id, 1,
            storage.json(row.custom or None), storage.time(row.created_at or context.now), storage.time(context.now))


def _touch_rows(plans: list[PersonPlan], storage: Storage, context) -> list[tuple]:
    return [(plan.person_id, plan.lead_id, context.touch_type, storage.time(row.created_at or context.now), row.source)
            for plan in plans for row in plan.rows]


def _update_open_leads(session: Session, plans: list[PersonPlan], version_id: int, now: datetime) -> None:
    """New scores for leads that were open before this slice; a lead moved since it was read is
    re-decided from its state now (leads/scoring/writes.py), and its events follow what was written."""
    known = {plan.lead_id: plan for plan in plans if not plan.lead_created}
    scores = [NewScore(plan.lead_id, plan.version, plan.score) for plan in known.values()]
    for done in write_new_scores(session, scores, version_id=version_id, now=now):
        known[done.lead_id].state_before, known[done.lead_id].state = done.state_before, done.state


def write_slice(session: Session, plans: list[PersonPlan], context, version_id: int) -> None:
    """Persist a planned, scored slice in the caller's transaction."""
    storage = Storage.of(session)
    insert_rows(session, Person.__tablename__, PERSON_COLUMNS,
                [person_row(plan, storage, context.now) for plan in plans if plan.is_new_person])
    insert_rows(session, Lead.__tablename__, LEAD_COLUMNS,
                [_lead_row(plan, storage, context, version_id) for plan in plans if plan.lead_created])
    insert_rows(session, Activity.__tablename__, TOUCH_COLUMNS, _touch_rows(plans, storage, context))
    _update_open_leads(session, plans, version_id, context.now)
    suggestions: list[tuple[Any, ...]] = [(plan.lead_id, account_id, similarity)
                                          for plan in plans for account_id, similarity in plan.suggestions]
    insert_rows(session, AccountSuggestion.__tablename__, SUGGESTION_COLUMNS, suggestions)
    record_bulk(session, [event for plan in plans
                          for event in plan_events(plan, plan.score, plan.state_before, context)])
