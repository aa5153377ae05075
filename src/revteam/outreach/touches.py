"""A track's touch reaching a person: an e-mail sent after commit through the job queue (retried,
recorded), or a task for the lead's owner; never anything to a suppressed person.

The message is rendered from the playbook's template when the step runs, so the job sends exactly
what the step decided; the job checks the suppressions again, since an opt-out may land in between.
The runner sends after the job's batch commits and records `touch.sent` once the server took it.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from revteam import config
from revteam.config import UNSAFE_SECRET_KEY
from revteam.accounts.models import Account, Person
from revteam.events.service import record, record_bulk
from revteam.db.key_lists import among
from revteam.jobs.registry import handler, prepared
from revteam.leads.models import Lead
from revteam.notify.email import send_email
from revteam.notify.errors import DeliveryFailed
from revteam.outreach.models import OwnerTask
from revteam.outreach.suppression import load_suppressions, why_not_touched
from revteam.outreach.tasks import task_due
from revteam.outreach.unsubscribe import list_unsubscribe_headers, unsubscribe_url
from revteam.playbook.schema import Playbook
from revteam.playbook.touch_schema import PERSON_FIELDS, touch_values
from revteam.playbook.track_schema import TrackStep

TOUCH_EMAIL_JOB = "outreach.touch_email"
ACTOR = "system:outreach"
_ROWS = "outreach.rows"
FOOTER = "\n\n--\nYou receive these e-mails from {sender}. To receive no more of them: {link}\n"


def touch_key(enrollment_id: int, step_index: int) -> str:
    """The dedupe key of the e-mail one enrollment's step sends."""
    return f"touch:{enrollment_id}:{step_index}"


def _skip(session: Session, lead_id: int, about: dict[str, Any], *, why: str, now: datetime) -> str:
    record(session, type="touch.skipped", subject_type="lead", subject_id=lead_id, actor=ACTOR, at=now,
           data={**about, "why": why})
    return "skipped"


def _rendered(session: Session, playbook: Playbook, person: Person, asset: str) -> tuple[str, str]:
    account = session.get(Account, person.account_id) if person.account_id else None
    values = touch_values(person={name: getattr(person, name) for name in PERSON_FIELDS},
                          company=account.name if account else None, asset=asset)
    return playbook.touch_template(asset).render(values)


def _give_task(session: Session, playbook: Playbook, lead: Lead, about: dict[str, Any], title: str, notes: str, *,
               now: datetime) -> str:
    task = OwnerTask(lead_id=lead.id, owner_id=lead.owner_id, title=title[:200], notes=notes[:4000],
                     source=f"track:{about['track']} step {about['step'] + 1}", created_at=now,
                     due_at=task_due(session, playbook, now))
    session.add(task)
    session.flush()
    record(session, type="task.created", subject_type="lead", subject_id=lead.id, actor=ACTOR, at=now,
           data={**about, "task": task.id, "owner_id": lead.owner_id, "title": task.title,
                 "due_at": task.due_at.isoformat()})
    return "task"


def prepare_touches(session: Session, leads: Sequence[Lead]) -> None:
    """Load what the touches of these leads read, in three queries: their people, accounts and suppressions."""
    person_ids = [lead.person_id for lead in leads]
    people = session.scalars(select(Person).where(among(session, Person.id, person_ids))).all()
    account_ids = [person.account_id for person in people if person.account_id]
    accounts = session.scalars(select(Account).where(among(session, Account.id, account_ids))).all()
    prepared(session, _ROWS)["touches"] = (people, accounts)  # the session keeps only weak references
    load_suppressions(session, person_ids)


def touch(session: Session, *, playbook: Playbook, lead: Lead, track_id: str, step: TrackStep, step_index: int,
          enrollment_id: int, now: datetime, jobs: list[dict]) -> str:
    """Run one touch step for the lead's person: 'queued' (its e-mail job appended to `jobs`, for the
    caller to enqueue with its own), 'task', or 'skipped' (and why)."""
    about = {"track": track_id, "step": step_index, "asset": step.touch}
    why = why_not_touched(session, lead.person_id)
    if why is not None:
        return _skip(session, lead.id, about, why=why, now=now)
    person = session.get(Person, lead.person_id)
    subject, body = _rendered(session, playbook, person, step.touch)
    if not step.sends_email:
        return _give_task(session, playbook, lead, about, subject, body, now=now)
    if not person.email:
        return _skip(session, lead.id, about, why="no e-mail address", now=now)
    payload = {**about, "lead_id": lead.id, "person_id": person.id, "to": person.email, "subject": subject, "body": body}
    jobs.append(dict(kind=TOUCH_EMAIL_JOB, run_at=now, payload=payload, dedupe_key=touch_key(enrollment_id, step_index)))
    return "queued"


def _about(payload: dict) -> dict[str, Any]:
    return {key: payload[key] for key in ("track", "step", "asset", "to", "subject")}


def _record_failure(session: Session, payload: dict, *, now: datetime, error: str, attempts: int, final: bool) -> None:
    record(session, type="touch.failed", subject_type="lead", subject_id=payload["lead_id"], actor=ACTOR, at=now,
           data={**_about(payload), "error": error, "attempt": attempts, "final": final})


def _prepare_deliveries(session: Session, payloads: list[dict], *, now: datetime) -> None:
    load_suppressions(session, [payload["person_id"] for payload in payloads])


def _send(message: dict[str, Any]) -> None:
    send_email(settings=config.get_settings(), **message)


def _record_sent(session: Session, payloads: list[dict], *, now: datetime) -> None:
    record_bulk(session, [dict(type="touch.sent", subject_type="lead", subject_id=payload["lead_id"], actor=ACTOR,
                               at=now, data=_about(payload)) for payload in payloads])


@handler(TOUCH_EMAIL_JOB, on_failure=_record_failure, prepare=_prepare_deliveries, send=_send, after_send=_record_sent,
         redoable=True)
def deliver_touch_email(session: Session, payload: dict, *, now: datetime) -> dict[str, Any] | None:
    """A touch's e-mail with its unsubscribe link and headers, for the runner to send after commit (then
    `touch.sent` is recorded on the lead); None, and the skip recorded, when the person is suppressed."""
    why = why_not_touched(session, payload["person_id"])
    if why is not None:
        _skip(session, payload["lead_id"], _about(payload), why=why, now=now)
        return None
    settings = config.get_settings()
    if settings.secret_key == UNSAFE_SECRET_KEY:
        raise DeliveryFailed("REVTEAM_SECRET_KEY is the public default: anyone could forge unsubscribe links; "
                             "set it (the same in every process) and the e-mail goes out at its next try")
    link = unsubscribe_url(payload["person_id"])
    return {"to": payload["to"], "subject": payload["subject"],
            "text": payload["body"] + FOOTER.format(sender=settings.mail_from, link=link),
            "headers": list_unsubscribe_headers(link)}
