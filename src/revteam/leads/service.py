"""Reading leads: one lead with its whole story, and filtered lists."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.errors import NotFound
from revteam.leads.models import AccountSuggestion, Lead
from revteam.users.models import User


def get_lead(session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(f"no lead {lead_id}")
    return lead


def _owner_email(session: Session, owner_id: int | None) -> str | None:
    return session.scalar(select(User.email).where(User.id == owner_id)) if owner_id else None


def lead_story(session: Session, lead_id: int) -> dict[str, Any]:
    """The lead, its person and account, its score explained, and every event in order."""
    # Here, not at the top: a list of leads needs neither the event log nor the scoring tables.
    from revteam.events.service import history
    from revteam.leads.scoring.explanation import score_explanations
    from revteam.leads.scoring.predictive.predictions import predictions_by_lead

    lead = get_lead(session, lead_id)
    person = session.get(Person, lead.person_id)
    account = session.get(Account, lead.account_id) if lead.account_id else None
    events = [
        {"type": e.type, "at": e.at.isoformat(), "actor": e.actor, "data": e.data, "playbook_version": e.playbook_version_id}
        for e in history(session, "lead", lead_id)
    ]
    suggestions = session.execute(
        select(AccountSuggestion.account_id, AccountSuggestion.similarity).where(AccountSuggestion.lead_id == lead_id)
    ).all()
    return {
        "id": lead.id, "state": lead.state, "owner": _owner_email(session, lead.owner_id), "score": lead.score,
        "fit_score": lead.fit_score, "engagement_score": lead.engagement_score, "is_mql": lead.is_mql,
        "source": lead.source, "created_at": lead.created_at.isoformat(),
        "person": {"id": person.id, "name": " ".join(filter(None, [person.first_name, person.last_name])),
                   "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
                   "phone": person.phone_e164, "title": person.title, "committee_role": person.committee_role},
        "account": {"id": account.id, "name": account.name, "domain": account.domain} if account else None,
        "account_suggestions": [{"account_id": a, "similarity": s} for a, s in suggestions],
        "custom": lead.custom or {},
        "score_explanation": score_explanations(session, [lead_id]).get(lead_id),
        "predicted": predictions_by_lead(session, [lead_id]).get(lead_id),
        "events": events,
    }


def visible_story(session: Session, *, lead_id: int, actor: User) -> dict[str, Any]:
    """`lead_story` for someone allowed to see the lead (for anyone else, the lead does not exist)."""
    from revteam.leads.access import require_visible  # here, as visible_leads below

    return lead_story(session, require_visible(session, actor, lead_id).id)


def list_leads(session: Session, *, viewer: User | None, state: str | None = None, owner: str | None = None,
               limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Leads newest first that the viewer may see (all, for the operator: no viewer), by state and owner e-mail."""
    query = (
        select(Lead.id, Lead.state, Lead.score, Lead.source, Lead.created_at, User.email.label("owner"),
               Person.email.label("email"), Account.name.label("account"))
        .join(Person, Person.id == Lead.person_id)
        .outerjoin(User, User.id == Lead.owner_id)
        .outerjoin(Account, Account.id == Lead.account_id)
        .order_by(Lead.id.desc()).limit(limit).offset(offset)
    )
    if viewer is not None:
        from revteam.leads.access import visible_leads  # here: its policy loads the playbook, for a viewer only

        query = query.where(visible_leads(session, viewer))
    if state:
        query = query.where(Lead.state == state)
    if owner:
        query = query.where(User.email == owner.strip().lower())
    return [{**row._asdict(), "created_at": row.created_at.isoformat()} for row in session.execute(query)]
