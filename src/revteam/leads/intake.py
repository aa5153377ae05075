"""Landing captured rows: dedupe against known people, match accounts, score, persist with events.

One call lands one slice of rows in the caller's transaction. Imports, the API and web forms
all come through here, so a person is merged the same way whichever door they used.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from revteam.accounts.matching import AccountIndex
from revteam.accounts.models import Account, Person
from revteam.db.ids import reserve_ids
from revteam.events.service import record_many
from revteam.leads.formats import CanonicalRow, RefusedRow
from revteam.leads.intake_events import plan_events
from revteam.leads.intake_plan import PersonPlan, plan_people
from revteam.leads.models import AccountSuggestion, Activity, Campaign, Lead
from revteam.leads.scoring import LeadScore, score_lead
from revteam.leads.states import LeadState, state_after_scoring
from revteam.playbook.versions import active
from revteam.users.models import User

REPORT_FIELDS = ("rows", "new_leads", "merged", "accounts_created", "accounts_matched")


@dataclass
class IntakeResult:
    rows: int = 0
    new_leads: int = 0
    merged: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    accounts_created: int = 0
    accounts_matched: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)
    lead_ids: list[int] = field(default_factory=list)

    @property
    def landed(self) -> int:
        return self.new_leads + self.merged

    def add(self, other: "IntakeResult") -> None:
        for name in REPORT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.refused += other.refused
        self.warnings += other.warnings
        self.lead_ids += other.lead_ids

    def as_stored(self) -> dict[str, Any]:
        stored = {name: getattr(self, name) for name in REPORT_FIELDS}
        return {**stored, "refused": self.refused, "warnings": self.warnings}


@dataclass
class IntakeContext:
    """What stays the same across the slices of one import or request."""

    actor: str
    batch: str
    now: datetime
    touch_type: str
    accounts: AccountIndex
    campaigns: dict[str, int] = field(default_factory=dict)


def land_rows(session: Session, rows: list[CanonicalRow | RefusedRow], context: IntakeContext) -> IntakeResult:
    """Land rows in the caller's transaction; refused rows are reported, never half-landed."""
    result = IntakeResult(rows=len(rows))
    result.refused = [{"line": r.line, "reason": r.reason} for r in rows if isinstance(r, RefusedRow)]
    accepted = [row for row in rows if isinstance(row, CanonicalRow)]
    if not accepted:
        return result
    result.warnings = [{"line": r.line, "warning": w} for r in accepted for w in r.warnings]
    _ensure_campaigns(session, accepted, context)
    plans = plan_people(session, accepted, context.accounts)
    _create_accounts(session, plans, context)
    _insert_returning_ids(session, Person, [p for p in plans if p.person_id is None], "person_id",
                          lambda plan: plan.person_values(context.now))
    _insert_returning_ids(session, Lead, [p for p in plans if p.lead_id is None], "lead_id",
                          lambda plan: plan.lead_values(context.now, context.campaigns))
    _add_touches(session, plans, context)
    _score_and_record(session, plans, context)
    _count(plans, result)
    return result


def _count(plans: list[PersonPlan], result: IntakeResult) -> None:
    """new_leads: people not known before; every other landed row merged into someone."""
    for plan in plans:
        result.new_leads += plan.is_new_person
        result.merged += len(plan.rows) - plan.is_new_person
        result.accounts_created += plan.account_created
        result.accounts_matched += plan.is_new_person and plan.account_id is not None and not plan.account_created
        result.lead_ids.append(plan.lead_id)


def _ensure_campaigns(session: Session, rows: list[CanonicalRow], context: IntakeContext) -> None:
    names = {row.campaign for row in rows if row.campaign} - context.campaigns.keys()
    if not names:
        return
    context.campaigns.update({name: id_ for name, id_ in session.execute(select(Campaign.name, Campaign.id).where(Campaign.name.in_(names)))})
    for name in sorted(names - context.campaigns.keys()):
        [context.campaigns[name]] = _insert_many(
            session, Campaign, [{"name": name, "channel": "unknown", "cost_minor": 0}], returning=True)


def _create_accounts(session: Session, plans: list[PersonPlan], context: IntakeContext) -> None:
    """Create one account per new corporate domain; later rows of the slice join it."""
    founders: dict[str, PersonPlan] = {}
    for plan in plans:
        if plan.new_domain:
            founders.setdefault(plan.new_domain, plan)
    rows = [founder.first for founder in founders.values()]
    values = [{
        "name": row.company or row.domain, "name_normalized": row.company_normalized or row.domain,
        "domain": row.domain, "industry": row.industry, "employees": row.employees, "country": row.country_code,
        "created_at": context.now, "is_competitor": False,
    } for row in rows]
    ids = _insert_many(session, Account, values, returning=True)
    for row, account_id in zip(rows, ids, strict=True):
        context.accounts.add(account_id, row.domain, row.company_normalized)
    for plan in plans:
        if plan.new_domain:
            plan.account_id = context.accounts.by_domain[plan.new_domain]
            plan.account_created = founders[plan.new_domain] is plan


def _insert_many(session: Session, model, values: list[dict[str, Any]], *, returning: bool = False) -> list[int]:
    """Core executemany (no ORM bookkeeping); with `returning`, the new ids in input order."""
    if not values:
        return []
    ids = reserve_ids(session, model.__table__, len(values)) if returning else []
    if returning:
        values = [{**row, "id": new_id} for row, new_id in zip(values, ids, strict=True)]
    session.connection().execute(insert(model.__table__), values)
    return ids


def _insert_returning_ids(session, model, plans: list[PersonPlan], attribute: str, values_of) -> None:
    ids = _insert_many(session, model, [values_of(plan) for plan in plans], returning=True)
    for plan, new_id in zip(plans, ids, strict=True):
        setattr(plan, attribute, new_id)
        if attribute == "lead_id":
            plan.state = LeadState.NEW


def _add_touches(session: Session, plans: list[PersonPlan], context: IntakeContext) -> None:
    """One touch per arrival; leads that existed bring their earlier touches for scoring."""
    earlier = [plan.lead_id for plan in plans if not plan.lead_created]
    if earlier:
        by_lead = {plan.lead_id: plan for plan in plans}
        query = select(Activity.lead_id, Activity.type, Activity.at).where(Activity.lead_id.in_(earlier))
        for lead_id, activity_type, at in session.execute(query):
            by_lead[lead_id].activities.append((activity_type, at))
    touches = []
    for plan in plans:
        for row in plan.rows:
            at = row.created_at or context.now
            plan.activities.append((context.touch_type, at))
            touches.append({"person_id": plan.person_id, "lead_id": plan.lead_id, "type": context.touch_type,
                            "at": at, "source": row.source})
    _insert_many(session, Activity, touches)


def _account_facts(session: Session, plans: list[PersonPlan]) -> dict[int, dict[str, Any]]:
    ids = {plan.account_id for plan in plans if plan.account_id is not None}
    if not ids:
        return {}
    query = (
        select(Account.id, Account.name, Account.domain, Account.industry, Account.employees, Account.country,
               Account.tier, Account.is_competitor, User.email.label("owner"))
        .outerjoin(User, User.id == Account.owner_id)
        .where(Account.id.in_(ids))
    )
    return {row.id: row._asdict() for row in session.execute(query)}


def _score_and_record(session: Session, plans: list[PersonPlan], context: IntakeContext) -> None:
    current = active(session)
    accounts = _account_facts(session, plans)
    updates, events = [], []
    for plan in plans:
        score = score_lead(current.playbook, plan.facts(accounts.get(plan.account_id)), plan.activities, now=context.now)
        before, plan.state = plan.state, state_after_scoring(plan.lead_id, plan.state, score.is_mql)
        updates.append({**_score_values(plan, score, current.version_id, context.now), "state_before": before})
        events += plan_events(plan, score, before, context)
    # Only from the state this slice saw: a lead routed meanwhile keeps its new state.
    statement = update(Lead).where(Lead.id == bindparam("lead_id"), Lead.state == bindparam("state_before"))
    session.connection().execute(statement, updates)
    suggestions = [{"lead_id": plan.lead_id, "account_id": account_id, "similarity": similarity}
                   for plan in plans for account_id, similarity in plan.suggestions]
    _insert_many(session, AccountSuggestion, suggestions)
    record_many(session, events)


def _score_values(plan: PersonPlan, score: LeadScore, version_id: int, now: datetime) -> dict[str, Any]:
    return {"lead_id": plan.lead_id, **score.columns(), "state": plan.state, "scored_with": version_id,
            "updated_at": now}
