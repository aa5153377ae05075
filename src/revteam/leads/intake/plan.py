"""Deciding, for a slice of rows, who is a known person, who is new, and which account they join."""

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from revteam.accounts.matching import AccountIndex
from revteam.accounts.models import Person
from revteam.leads.scoring.facts import NO_ACCOUNT
from revteam.leads.intake.formats import CanonicalRow
from revteam.db.key_lists import among
from revteam.leads.models import OPEN_LEAD, Lead
from revteam.leads.scoring.rules import LeadScore


@dataclass(slots=True)
class PersonPlan:
    """One person in this slice: the rows that name them and what will be written for them."""

    key: str
    rows: list[CanonicalRow]
    person_id: int | None = None
    lead_id: int | None = None
    state: str | None = None
    version: int | None = None
    account_id: int | None = None
    match_how: str = "none"
    new_domain: str | None = None
    account_created: bool = False
    suggestions: list[tuple[int, int]] = field(default_factory=list)
    activities: list[tuple[str, str | None, datetime]] = field(default_factory=list)  # type, channel, when
    created_at: datetime | None = None  # the lead's
    is_new_person: bool = True
    lead_created: bool = False
    score: LeadScore | None = None
    predicted: float | None = None  # the newest predictive model's probability, when there is a model
    state_before: str | None = None
    committee_role: str | None = None

    @property
    def first(self) -> CanonicalRow:
        return self.rows[0]

    def fact_values(self, account: dict[str, Any] | None, row: CanonicalRow | None = None) -> dict[str, Any]:
        """The lead's values (`lead_facts`) as its first row (or `row`) gives them, its account's from
        `account_values`; the row's company size stands in when there is no account, its industry when
        the account has none."""
        row = row or self.first
        account = account or {**NO_ACCOUNT, "account_employees": row.employees}
        return {**account, "source": row.source, "campaign": row.campaign, "product_interest": row.product_interest,
                "title": row.title, "email": row.email_normalized, "committee_role": self.committee_role,
                "country": row.country_code, "account_industry": account["account_industry"] or row.industry}


def _person_key(row: CanonicalRow) -> str:
    return f"e:{row.email_normalized}" if row.email_normalized else f"p:{row.phone_e164}"


def _group(rows: list[CanonicalRow]) -> dict[str, PersonPlan]:
    plans: dict[str, PersonPlan] = {}
    for row in rows:
        key = _person_key(row)
        if key in plans:
            plans[key].rows.append(row)
        else:
            plans[key] = PersonPlan(key, [row])
    return plans


def people_with_open_lead(session: Session, column, keys: list[str]):
    """The people whose `column` is one of `keys`, each with their open lead if they have one."""
    open_lead = and_(Lead.person_id == Person.id, OPEN_LEAD)
    return (select(Person.id, Person.email_normalized, Person.phone_e164, Person.account_id, Person.committee_role,
                   Lead.id.label("lead_id"), Lead.state, Lead.version, Lead.created_at.label("lead_created_at"))
            .outerjoin(Lead, open_lead).where(among(session, column, keys)).order_by(Person.id))


def _known_people(session: Session, plans: dict[str, PersonPlan]) -> None:
    """Attach people (and their open lead) already in the database, by e-mail or exact phone."""
    emails = [key[2:] for key in plans if key.startswith("e:")]
    phones = [key[2:] for key in plans if key.startswith("p:")]
    found, connection = [], session.connection()
    if emails:
        found += [(f"e:{row.email_normalized}", row)
                  for row in connection.execute(people_with_open_lead(session, Person.email_normalized, emails))]
    if phones:
        found += [(f"p:{row.phone_e164}", row)
                  for row in connection.execute(people_with_open_lead(session, Person.phone_e164, phones))]
    for key, row in found:
        plan = plans.get(key)
        if plan is None or plan.person_id is not None:
            continue
        plan.person_id, plan.account_id, plan.is_new_person = row.id, row.account_id, False
        plan.lead_id, plan.state, plan.version = row.lead_id, row.state, row.version
        plan.created_at = row.lead_created_at
        plan.committee_role = row.committee_role


def _match_domains(plans: list[PersonPlan], accounts: AccountIndex) -> None:
    for plan in plans:
        if domain := plan.first.domain:
            plan.account_id = accounts.by_domain.get(domain)
            plan.match_how = "domain" if plan.account_id else "new_domain"
            plan.new_domain = None if plan.account_id else domain


def plan_people(session: Session, rows: list[CanonicalRow], accounts: AccountIndex) -> list[PersonPlan]:
    """Group rows by person, find who is already known, and match new people to accounts by domain
    (`match_by_name` matches the others once the slice's new accounts exist)."""
    plans = _group(rows)
    _known_people(session, plans)
    _match_domains([plan for plan in plans.values() if plan.is_new_person], accounts)
    return list(plans.values())


def match_by_name(plans: list[PersonPlan], accounts: AccountIndex, *, known_before: int) -> None:
    """New people without a corporate domain, by company name, all the slice's names at once; each
    as if its row had arrived alone: it sees the accounts created by earlier rows of the slice, not
    by later ones. `known_before` is the newest account id before the slice created any."""
    founders = sorted((plan.first.line, plan.account_id) for plan in plans if plan.account_created)
    founder_lines = [line for line, _ in founders]

    def newest_seen(plan: PersonPlan) -> int:
        created_before = bisect_left(founder_lines, plan.first.line)
        return founders[created_before - 1][1] if created_before else known_before

    by_name = [plan for plan in plans if plan.is_new_person and not plan.first.domain]
    matches = accounts.match_arrivals([(plan.first.company_normalized, newest_seen(plan)) for plan in by_name])
    for plan, match in zip(by_name, matches, strict=True):
        plan.account_id, plan.match_how, plan.suggestions = match.account_id, match.how, match.suggestions
