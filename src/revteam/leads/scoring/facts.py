"""The facts every rule reads (`revteam.playbook.facts.FACTS`), built in one place for every reader.

`lead_facts` turns plain values into facts. Intake calls it with the values of rows it has not
stored yet; every other reader gets stored leads' facts from `facts_for_leads`: the leads in one
query, the SQL criteria confirmed on them in one more, and, only when the conditions of the playbooks
that will read them name a coverage fact, their accounts' committee coverage (`leads/committee.py`)
in two more.
"""

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.db.key_lists import among
from revteam.accounts.normalize import is_free_mail
from revteam.db.base import utcnow
from revteam.leads.committee import NO_COVERAGE_FACTS, account_coverage
from revteam.leads.models import Campaign, Graduation, Lead, LeadCriterion
from revteam.leads.scoring.predictive.models import LeadPrediction, PredictiveModel
from revteam.playbook.schema import Playbook
from revteam.playbook.versions import active
from revteam.users.models import User

# The plain values the facts are made of, by name, each with the column that stores it.
STORED_VALUES = {
    "source": Lead.source, "campaign": Campaign.name, "product_interest": Lead.product_interest,
    "title": Person.title, "email": Person.email_normalized, "committee_role": Person.committee_role,
    "country": Person.country, "account_name": Account.name, "account_domain": Account.domain,
    "account_employees": Account.employees, "account_industry": Account.industry,
    "account_country": Account.country, "account_tier": Account.tier,
    "account_is_competitor": Account.is_competitor, "account_owner": User.email,
}
_ACCOUNT_VALUES = tuple(name for name in STORED_VALUES if name.startswith("account_"))
NO_ACCOUNT: dict[str, Any] = dict.fromkeys(_ACCOUNT_VALUES)
_COVERAGE_FACTS = frozenset(NO_COVERAGE_FACTS)


def lead_facts(values: Mapping[str, Any]) -> dict[str, Any]:
    """The facts of one lead from its plain values: every name of STORED_VALUES, nothing missing."""
    email = values["email"]
    domain = email.rpartition("@")[2] if email else None
    return {
        "lead.country": values["country"] or values["account_country"],
        "lead.source": values["source"],
        "lead.campaign": values["campaign"],
        "lead.product_interest": values["product_interest"],
        "person.title": values["title"],
        "person.free_email": is_free_mail(domain) if domain else None,
        "person.committee_role": values["committee_role"],
        "account.name": values["account_name"],
        "account.domain": values["account_domain"],
        "account.employees": values["account_employees"],
        "account.industry": values["account_industry"],
        "account.country": values["account_country"],
        "account.owner": values["account_owner"],
        "account.tier": values["account_tier"],
        "account.is_competitor": values["account_is_competitor"],
    }


def score_facts(lead: Any, predicted: float | None = None) -> dict[str, Any]:
    """The lead's stored scores as facts (any object with the Lead's score attributes), and the newest
    predictive model's probability for it."""
    return {"lead.fit_score": lead.fit_score, "lead.engagement_score": lead.engagement_score,
            "lead.score": lead.score, "lead.predicted": predicted}


def _labelled(names: Collection[str]) -> list:
    return [STORED_VALUES[name].label(name) for name in names]


def _stored_values() -> Select:
    """Stored leads with their values and scores, one row each."""
    latest_model = select(func.max(PredictiveModel.id)).scalar_subquery()
    return (select(Lead.id.label("lead_id"), Lead.fit_score, Lead.engagement_score, Lead.score,
                   LeadPrediction.probability.label("predicted"), *_labelled(STORED_VALUES))
            .join(Person, Person.id == Lead.person_id)
            .outerjoin(LeadPrediction, (LeadPrediction.lead_id == Lead.id) & (LeadPrediction.model_id == latest_model))
            .outerjoin(Campaign, Campaign.id == Lead.campaign_id)
            .outerjoin(Account, Account.id == Lead.account_id)
            .outerjoin(User, User.id == Account.owner_id))


def still_counted() -> ColumnElement[bool]:
    """Confirmations (a condition on `LeadCriterion`) made since their lead last graduated."""
    graduated = (select(func.max(Graduation.graduated_at)).where(Graduation.lead_id == LeadCriterion.lead_id)
                 .correlate(LeadCriterion).scalar_subquery())
    return graduated.is_(None) | (LeadCriterion.confirmed_at > graduated)


def confirmed_criteria(session: Session, lead_ids: Collection[int]) -> dict[int, list[str]]:
    """The SQL criteria confirmed on these leads since they last graduated (a lead back in cultivation is
    confirmed afresh), by lead id, each list in name order."""
    confirmed: dict[int, list[str]] = {}
    if lead_ids:
        query = (select(LeadCriterion.lead_id, LeadCriterion.criterion).distinct()
                 .where(among(session, LeadCriterion.lead_id, lead_ids), still_counted())
                 .order_by(LeadCriterion.lead_id, LeadCriterion.criterion))
        for lead_id, criterion in session.execute(query):
            confirmed.setdefault(lead_id, []).append(criterion)
    return confirmed


def _reads_coverage(playbooks: Iterable[Playbook]) -> bool:
    return any(_COVERAGE_FACTS & playbook.condition_fields() for playbook in playbooks)


def _facts_of(session: Session, query: Select, now: datetime | None,
              read_by: Iterable[Playbook]) -> dict[int, dict[str, Any]]:
    rows = session.execute(query.add_columns(Lead.account_id)).all()
    coverage = {}
    if _reads_coverage(read_by):
        coverage = account_coverage(session, {row.account_id for row in rows if row.account_id is not None},
                                    playbook=active(session).playbook, now=now or utcnow())
    confirmed = confirmed_criteria(session, [row.lead_id for row in rows])
    return {row.lead_id: lead_facts(row._mapping) | score_facts(row, row.predicted)
            | (coverage[row.account_id].facts() if row.account_id in coverage else NO_COVERAGE_FACTS)
            | {"lead.confirmed_criteria": ", ".join(confirmed.get(row.lead_id, []))}
            for row in rows}


def facts_for_leads(session: Session, lead_ids: Collection[int], *, now: datetime | None = None,
                    read_by: Iterable[Playbook] = ()) -> dict[int, dict[str, Any]]:
    """The facts of these stored leads, by lead id. The committee coverage facts (as of `now`) are
    filled only when a condition of a playbook in `read_by` names one; otherwise they are None."""
    return _facts_of(session, _stored_values().where(among(session, Lead.id, lead_ids)), now, read_by)


def facts_for_lead(session: Session, lead_id: int, *, now: datetime | None = None,
                   read_by: Iterable[Playbook] = ()) -> dict[str, Any]:
    """The facts of one stored lead (coverage as in `facts_for_leads`)."""
    return _facts_of(session, _stored_values().where(Lead.id == lead_id), now, read_by)[lead_id]


def account_values(session: Session, account_ids: Collection[int]) -> dict[int, dict[str, Any]]:
    """The account part of the values (names as NO_ACCOUNT's) of these accounts, by id, for intake."""
    if not account_ids:
        return {}
    query = (select(Account.id, *_labelled(_ACCOUNT_VALUES)).outerjoin(User, User.id == Account.owner_id)
             .where(among(session, Account.id, account_ids)))
    return {row.id: dict(zip(_ACCOUNT_VALUES, row[1:], strict=True)) for row in session.connection().execute(query)}
