"""Correcting what a lead's person and company are: each change recorded with its old and new value.

Whoever may work the lead (`leads/access.py`) may correct it. Phones are read as the importer reads
them (E.164 through phonenumbers, in the person's country); the company is the lead's account: a
new name joins the account of that (normalized) name, or a new one, never renames an account
other people share.
"""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.accounts.normalize import normalize_company
from revteam.errors import BadInput
from revteam.events.service import record
from revteam.leads.access import require_may_act, require_visible
from revteam.leads.committee import check_role
from revteam.leads.intake.normalize import normalize_phone
from revteam.leads.models import Lead
from revteam.playbook.versions import active
from revteam.users.models import User

PERSON_TEXT = ("first_name", "last_name", "title")
EDITABLE = (*PERSON_TEXT, "phone", "committee_role", "company")
MAX_TEXT = 200


def _text(field: str, value: str | None) -> str | None:
    value = (value or "").strip() or None
    if value is not None and len(value) > MAX_TEXT:
        raise BadInput(f"at most {MAX_TEXT} characters, not {len(value)}", where=field)
    return value


def _phone(person: Person, raw: str | None) -> str | None:
    if not (raw or "").strip():
        return None
    phone = normalize_phone(raw, person.country)
    if phone is None:
        raise BadInput(f"{raw.strip()!r} is not a phone number (give it with its country code, e.g. +1 212 555 0100)",
                       where="phone")
    return phone


def _account_named(session: Session, name: str, actor: str, lead_id: int) -> Account:
    normalized = normalize_company(name) or name.casefold()
    found = session.scalar(select(Account).where(Account.name_normalized == normalized).order_by(Account.id).limit(1))
    if found is not None:
        return found
    account = Account(name=name, name_normalized=normalized, is_competitor=False)
    session.add(account)
    session.flush()
    record(session, type="account.created", subject_type="account", subject_id=account.id, actor=actor,
           data={"name": name, "by": "lead edit", "lead_id": lead_id})
    return account


def _change_company(session: Session, lead: Lead, person: Person, name: str | None, actor: str) -> dict | None:
    current = session.get(Account, lead.account_id) if lead.account_id else None
    if name is None or (current is not None and current.name == name):
        return None
    account = _account_named(session, name, actor, lead.id)
    lead.account_id = person.account_id = account.id
    return {"old": current.name if current else None, "new": account.name,
            "old_account_id": current.id if current else None, "new_account_id": account.id}


def edit_lead(session: Session, *, lead_id: int, actor: User, values: dict[str, str | None]) -> dict[str, Any]:
    """Apply the given fields (the others stay); records `lead.edited` with each change, or nothing when none."""
    lead = require_visible(session, actor, lead_id)
    require_may_act(session, actor, lead_id=lead.id, action="work", verb="edit", rep_id=lead.owner_id)
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise BadInput(f"cannot edit {', '.join(unknown)}; editable: {', '.join(EDITABLE)}", where=unknown[0])
    person = session.get(Person, lead.person_id)
    wanted = {field: _text(field, values[field]) for field in PERSON_TEXT if field in values}
    if "phone" in values:
        wanted["phone_e164"] = _phone(person, values["phone"])
    if "committee_role" in values:
        wanted["committee_role"] = check_role(values["committee_role"], active(session).playbook.committee)
    changes = {field.removesuffix("_e164"): {"old": getattr(person, field), "new": value}
               for field, value in wanted.items() if getattr(person, field) != value}
    for field, value in wanted.items():
        setattr(person, field, value)
    if "company" in values and (company := _change_company(session, lead, person, _text("company", values["company"]),
                                                           actor.email)):
        changes["company"] = company
    if changes:
        session.flush()
        record(session, type="lead.edited", subject_type="lead", subject_id=lead.id, actor=actor.email,
               data={"person_id": person.id, "changes": changes})
    return changes
