"""Stopping every later touch to a person: an opt-out, a hard bounce or an admin's suppression.

One row per person (the first reason is kept; later ones change nothing, so a re-run never
duplicates), recorded on the timeline of each of the person's leads in the same transaction. A hard
bounce for an address nobody known has yet is kept by address (`address_suppressions`) and applied
to the person who arrives with it, by whichever door (leads/intake/land.py calls
`apply_address_suppressions` for every new person).
"""

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from revteam.accounts.models import Person
from revteam.db.key_lists import among
from revteam.errors import BadInput, Forbidden, NotFound
from revteam.events.service import record
from revteam.leads.access import require_visible
from revteam.leads.intake.normalize import normalize_email
from revteam.leads.models import Lead
from revteam.outreach.models import AddressSuppression, Suppression, SuppressionKind
from revteam.users.models import Role, User

SUPPRESSED_EVENT = "person.suppressed"
ADDRESS_KEPT_EVENT = "address.suppressed"
REASON_LENGTH = Suppression.reason.type.length
_KNOWN = "outreach.suppressions"  # session.info: person id -> Suppression | None, loaded for a batch of jobs


class Landed(StrEnum):
    """What a suppression by address did."""

    suppressed = "suppressed"  # the person with the address is suppressed now
    already = "already"  # they (or the address) were suppressed before: nothing changed
    kept = "kept"  # nobody has the address yet: kept for the person who arrives with it


def _insert(session: Session, model=Suppression):
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def _normalized(email: str, where: str) -> str:
    checked = normalize_email(email)
    if checked.error:
        raise BadInput(f"{checked.error}: {email!r}", where=where)
    return checked.normalized


def person_by_email(session: Session, email: str, *, where: str) -> Person:
    """The known person with this address; BadInput when it is no e-mail, NotFound when nobody has it."""
    normalized = _normalized(email, where)
    person = session.scalar(select(Person).where(Person.email_normalized == normalized))
    if person is None:
        raise NotFound(f"{where}: nobody known has the e-mail {normalized!r}")
    return person


def suppress(session: Session, *, person_id: int, kind: SuppressionKind, reason: str | None, actor: str,
             at: datetime) -> bool:
    """Stop every later touch to the person; False (nothing written) when they were suppressed already."""
    reason = (reason or "").strip()[:REASON_LENGTH] or None
    statement = (_insert(session).values(person_id=person_id, kind=kind, reason=reason, at=at, actor=actor)
                 .on_conflict_do_nothing(index_elements=["person_id"]).returning(Suppression.id))
    if session.execute(statement).scalar() is None:
        return False
    session.info.get(_KNOWN, {}).pop(person_id, None)
    data = {"kind": kind.value, "reason": reason, "person_id": person_id}
    lead_ids = session.scalars(select(Lead.id).where(Lead.person_id == person_id).order_by(Lead.id)).all()
    for lead_id in lead_ids or [None]:
        record(session, type=SUPPRESSED_EVENT, subject_type="lead" if lead_id else "person",
               subject_id=lead_id or person_id, actor=actor, at=at, data=data)
    return True


def load_suppressions(session: Session, person_ids: Collection[int]) -> None:
    """Read these people's suppressions in one query, for `suppression_of` to answer from in this session
    (a batch of touch jobs); `suppress` forgets the person it suppresses."""
    found = {row.person_id: row for row in
             session.scalars(select(Suppression).where(among(session, Suppression.person_id, person_ids)))}
    session.info.setdefault(_KNOWN, {}).update((person_id, found.get(person_id)) for person_id in person_ids)


def suppression_of(session: Session, person_id: int) -> Suppression | None:
    """Why the person is no longer touched, or None."""
    known = session.info.get(_KNOWN, {})
    if person_id in known:
        return known[person_id]
    return session.scalar(select(Suppression).where(Suppression.person_id == person_id))


def why_not_touched(session: Session, person_id: int) -> str | None:
    """The reason a touch to this person is skipped, in words, or None when it may go."""
    suppression = suppression_of(session, person_id)
    if suppression is None:
        return None
    return suppression.kind.replace("_", " ") + (f": {suppression.reason}" if suppression.reason else "")


def suppress_by_email(session: Session, *, email: str, reason: str | None, actor: str, at: datetime,
                      kind: SuppressionKind = SuppressionKind.admin, where: str = "email") -> bool:
    """Suppress the person with this e-mail (an admin's hand, a bounce report); False when already suppressed."""
    person = person_by_email(session, email, where=where)
    return suppress(session, person_id=person.id, kind=kind, reason=reason, actor=actor, at=at)


def suppress_address(session: Session, *, email: str, kind: SuppressionKind, reason: str | None, actor: str,
                     at: datetime, where: str = "email") -> Landed:
    """Suppress the person with this address, or, when nobody has it yet, keep the address for the person
    who arrives with it (recorded as `address.suppressed`); BadInput when it is no e-mail."""
    normalized = _normalized(email, where)
    person_id = session.scalar(select(Person.id).where(Person.email_normalized == normalized))
    if person_id is not None:
        landed = suppress(session, person_id=person_id, kind=kind, reason=reason, actor=actor, at=at)
        return Landed.suppressed if landed else Landed.already
    reason = (reason or "").strip()[:REASON_LENGTH] or None
    statement = (_insert(session, AddressSuppression)
                 .values(email_normalized=normalized, kind=kind, reason=reason, at=at, actor=actor)
                 .on_conflict_do_nothing(index_elements=["email_normalized"]).returning(AddressSuppression.id))
    kept_id = session.execute(statement).scalar()
    if kept_id is None:
        return Landed.already
    record(session, type=ADDRESS_KEPT_EVENT, subject_type="address_suppression", subject_id=kept_id, actor=actor,
           at=at, data={"email": normalized, "kind": kind.value, "reason": reason})
    return Landed.kept


def apply_address_suppressions(session: Session, emails: Collection[str], *, now: datetime) -> int:
    """Suppress the people with these (normalized) addresses whose address bounced before anyone had it,
    on their leads' timelines; one query when none did. Returns how many were suppressed now."""
    kept = session.scalars(select(AddressSuppression)
                           .where(among(session, AddressSuppression.email_normalized, sorted(emails)))).all()
    suppressed = 0
    for address in kept:
        person_id = session.scalar(select(Person.id).where(Person.email_normalized == address.email_normalized))
        said = f"{address.reason or address.kind}; reported {address.at:%Y-%m-%d %H:%M} UTC, before this person " \
               "was known"
        suppressed += person_id is not None and suppress(session, person_id=person_id, kind=SuppressionKind(address.kind),
                                                         reason=said, actor=address.actor, at=now)
    return suppressed


def may_suppress(user: User) -> bool:
    """Whether the user may suppress a person by hand (admins)."""
    return user.role == Role.admin


def suppress_lead_person(session: Session, *, user: User, lead_id: int, reason: str, at: datetime) -> bool:
    """An admin suppresses the person of a lead they see (the lead page's button); False when already suppressed."""
    if not may_suppress(user):
        raise Forbidden(f"{user.email} is {user.role}; only an admin suppresses a person")
    if not reason.strip():
        raise BadInput("say why no touch may reach this person", where="reason")
    lead = require_visible(session, user, lead_id)
    return suppress(session, person_id=lead.person_id, kind=SuppressionKind.admin, reason=reason, actor=user.email, at=at)
