"""Landing captured rows: dedupe against known people, match accounts, predict, score, persist with events.

One call lands one slice of rows in the caller's transaction. Imports, the API and web forms
all come through here, so a person is merged the same way whichever door they used.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.accounts.matching import AccountIndex
from revteam.accounts.models import Account, Person
from revteam.db.arrivals import arrived
from revteam.db.ids import reserve_ids
from revteam.db.bulk import Storage, insert_rows
from revteam.leads.intake.formats import CanonicalRow, RefusedRow
from revteam.leads.intake.history import write_history
from revteam.leads.intake.plan import PersonPlan, match_by_name, plan_people
from revteam.db.key_lists import among
from revteam.errors import quoted
from revteam.leads.intake.write import write_slice
from revteam.leads.models import Activity, Campaign, Lead
from revteam.leads.scoring.facts import account_values, lead_facts
from revteam.leads.scoring.predictive.features import Known
from revteam.leads.scoring.predictive.service import Predictions, predict_arrivals
from revteam.leads.scoring.rules import score_lead
from revteam.leads.states import LeadState, state_after_scoring
from revteam.playbook.versions import active

ACCOUNT_COLUMNS = ("name", "name_normalized", "domain", "industry", "employees", "country", "created_at",
                   "is_competitor")
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
    ensure_campaigns(session, {row.campaign for row in accepted if row.campaign}, context.campaigns)
    if open_rows := [row for row in accepted if not row.outcome]:
        plans = _plan_with_accounts(session, open_rows, context, result)
        _assign_ids(session, plans, context)
        _gather_touches(session, plans, context)
        facts = _facts(session, plans)
        predictions = _predict(session, plans, facts, context)
        version_id = _score(session, plans, facts, context)
        write_slice(session, plans, context, version_id)
        if predictions is not None:
            predictions.store(session, now=context.now)
        _count(plans, result)
        result.lead_ids += [plan.lead_id for plan in plans]
    # After the open rows, so a person named by both is created once and the history joins them.
    if closed_rows := [row for row in accepted if row.outcome]:
        _land_history(session, closed_rows, context, result)
    if emails := {row.email_normalized for row in accepted if row.email_normalized}:
        arrived(session, emails, context.now)
    return result


def _plan_with_accounts(session: Session, rows: list[CanonicalRow], context: IntakeContext,
                        result: IntakeResult) -> list[PersonPlan]:
    plans = plan_people(session, rows, context.accounts)
    _confirm_roles(plans, active(session).playbook.committee.roles, result)
    known_before = context.accounts.last_id
    _create_accounts(session, plans, context)
    match_by_name(plans, context.accounts, known_before=known_before)
    return plans


def _land_history(session: Session, rows: list[CanonicalRow], context: IntakeContext, result: IntakeResult) -> None:
    """Closed historical rows: each a lead of its own, created and closed at its dates (intake/history.py)."""
    plans = _plan_with_accounts(session, rows, context, result)
    _assign_person_ids(session, plans)
    accounts = account_values(session, {plan.account_id for plan in plans if plan.account_id is not None})
    result.lead_ids += write_history(session, plans, context, active(session), accounts)
    _count(plans, result)


def _confirm_roles(plans: list[PersonPlan], roles: list[str], result: IntakeResult) -> None:
    """A new person takes the committee role of their first row when the playbook names it; another
    name lands empty with a warning. A known person's role is changed by hand, never by a file."""
    for plan in plans:
        given = plan.first.committee_role
        if not plan.is_new_person or given is None:
            continue
        if given in roles:
            plan.committee_role = given
        else:
            result.warnings.append({"line": plan.first.line, "warning": f"committee_role {quoted(given)} is not "
                                    f"one of {', '.join(roles)}; left empty"})


def _count(plans: list[PersonPlan], result: IntakeResult) -> None:
    """new_leads: people not known before; every other landed row merged into someone."""
    for plan in plans:
        result.new_leads += plan.is_new_person
        result.merged += len(plan.rows) - plan.is_new_person
        result.accounts_created += plan.account_created
        result.accounts_matched += plan.is_new_person and plan.account_id is not None and not plan.account_created


def ensure_campaigns(session: Session, names: set[str], known: dict[str, int]) -> None:
    """Add to `known` (name: id) the campaigns of these names, creating those that do not exist yet."""
    names = names - known.keys()
    if not names:
        return
    known.update({name: id_ for name, id_ in session.execute(select(Campaign.name, Campaign.id).where(Campaign.name.in_(names)))})
    missing = sorted(names - known.keys())
    ids = _insert_with_ids(session, Campaign, ("name", "channel", "cost_minor"),
                           [(name, "unknown", 0) for name in missing])
    known.update(zip(missing, ids, strict=True))


def _create_accounts(session: Session, plans: list[PersonPlan], context: IntakeContext) -> None:
    """Create one account per new corporate domain; later rows of the slice join it."""
    founders: dict[str, PersonPlan] = {}
    for plan in plans:
        if plan.new_domain:
            founders.setdefault(plan.new_domain, plan)
    rows = [founder.first for founder in founders.values()]
    created_at = Storage.of(session).time(context.now)
    values = [(row.company or row.domain, row.company_normalized or row.domain, row.domain, row.industry, row.employees,
               row.country_code, created_at, False) for row in rows]
    ids = _insert_with_ids(session, Account, ACCOUNT_COLUMNS, values)
    for (_, name_normalized, domain, *_), account_id in zip(values, ids, strict=True):
        context.accounts.add(account_id, domain, name_normalized)
    for plan in plans:
        if plan.new_domain:
            plan.account_id = context.accounts.by_domain[plan.new_domain]
            plan.account_created = founders[plan.new_domain] is plan


def _insert_with_ids(session: Session, model, columns: tuple[str, ...], rows: list[tuple]) -> list[int]:
    """Insert rows under freshly reserved ids, in order, by the bulk path; returns the ids."""
    ids = reserve_ids(session, model.__table__, len(rows))
    identified = [(new_id, *row) for new_id, row in zip(ids, rows, strict=True)]
    insert_rows(session, model.__tablename__, ("id", *columns), identified)
    return ids


def _assign_person_ids(session: Session, plans: list[PersonPlan]) -> None:
    new_people = [plan for plan in plans if plan.person_id is None]
    for plan, person_id in zip(new_people, reserve_ids(session, Person.__table__, len(new_people)), strict=True):
        plan.person_id = person_id


def _assign_ids(session: Session, plans: list[PersonPlan], context: IntakeContext) -> None:
    """Ids for the people and leads this slice creates; a new lead starts as `new`."""
    _assign_person_ids(session, plans)
    new_leads = [plan for plan in plans if plan.lead_id is None]
    for plan, lead_id in zip(new_leads, reserve_ids(session, Lead.__table__, len(new_leads)), strict=True):
        plan.lead_id, plan.state, plan.lead_created = lead_id, LeadState.NEW, True
        plan.created_at = plan.first.created_at or context.now


def _gather_touches(session: Session, plans: list[PersonPlan], context: IntakeContext) -> None:
    """One touch per arrival; leads that existed bring their earlier touches for scoring."""
    earlier = [plan.lead_id for plan in plans if not plan.lead_created]
    if earlier:
        by_lead = {plan.lead_id: plan for plan in plans}
        query = (select(Activity.lead_id, Activity.type, Activity.source, Activity.at)
                 .where(among(session, Activity.lead_id, earlier)).order_by(Activity.at))
        for lead_id, activity_type, channel, at in session.connection().execute(query):
            by_lead[lead_id].activities.append((activity_type, channel, at))
    for plan in plans:
        plan.activities += _arrivals(plan, context)


def _arrivals(plan: PersonPlan, context: IntakeContext) -> list[tuple[str, str | None, datetime]]:
    """The touches this slice writes for the person: one per row, its source the channel."""
    return [(context.touch_type, row.source, row.created_at or context.now) for row in plan.rows]


def _facts(session: Session, plans: list[PersonPlan]) -> dict[int, dict[str, Any]]:
    accounts = account_values(session, {plan.account_id for plan in plans if plan.account_id is not None})
    return {plan.lead_id: lead_facts(plan.fact_values(accounts.get(plan.account_id))) for plan in plans}


def _predict(session: Session, plans: list[PersonPlan], facts: dict[int, dict[str, Any]],
             context: IntakeContext) -> Predictions | None:
    """The newest model's probability for every lead of the slice, on each plan, before it is scored:
    an MQL condition may read it (leads/scoring/predictive/service.py). None before any model."""
    arrivals = [Known(plan.lead_id, plan.account_id, plan.created_at, None, facts[plan.lead_id], plan.activities)
                for plan in plans]
    unstored = [(plan.account_id, plan.lead_id, at) for plan in plans if plan.account_id is not None
                for _, _, at in _arrivals(plan, context)]
    predictions = predict_arrivals(session, arrivals, unstored, now=context.now)
    if predictions is not None:
        for plan in plans:
            plan.predicted = predictions.probabilities[plan.lead_id]
    return predictions


def _score(session: Session, plans: list[PersonPlan], facts: dict[int, dict[str, Any]],
           context: IntakeContext) -> int:
    """Score every lead of the slice and move it as its score says; returns the playbook version used."""
    current = active(session)
    for plan in plans:
        known = facts[plan.lead_id] | {"lead.predicted": plan.predicted}
        plan.score = score_lead(current.playbook, known, [(kind, at) for kind, _, at in plan.activities],
                                now=context.now)
        plan.state_before = plan.state
        plan.state = state_after_scoring(plan.lead_id, plan.state, plan.score.is_mql)
    return current.version_id
