"""The tasks touch steps give a lead's owner (`{touch: ASSET, via: task}`): what each rep has to do
(a manager: their team's, through the one visibility policy of leads/access.py), and done in one
click, which records `task.done` and the touch the task stood for on the lead's timeline.

A task is due within the playbook's first-touch SLA (business hours on its calendar), as a first
contact with a lead offered to the rep is: the track chose this moment to have a person reach out.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from revteam.accounts.models import Person
from revteam.errors import Conflict, NotFound
from revteam.events.service import record
from revteam.leads.access import acts_for, require_may_act, visible_leads
from revteam.leads.models import Activity, Lead
from revteam.outreach.models import OwnerTask
from revteam.playbook.schema import Playbook
from revteam.routing.sla import business_deadline
from revteam.users.models import User

TASK_ACTIVITY = "nurture_task"  # the touch a done task stands for (an e-mailed touch is `nurture_email`)
DONE_EVENT = "task.done"
PAGE = 500


def task_due(session: Session, playbook: Playbook, now: datetime) -> datetime:
    """When a task made now is due: the playbook's first-touch window, in business hours."""
    return business_deadline(session, now, playbook.sla.first_touch_within_hours)


def _tasks_for(session: Session, user: User | None):
    """The tasks on leads the user sees, of owners the user acts for (their own, for a rep); None: the
    database's operator (the CLI without --as), who sees every task."""
    query = select(OwnerTask).join(Lead, Lead.id == OwnerTask.lead_id)
    if user is None:
        return query
    return query.where(visible_leads(session, user), acts_for(session, user, OwnerTask.owner_id))


def _person_name(person: Person) -> str:
    return " ".join(filter(None, [person.first_name, person.last_name])) or person.email or f"person {person.id}"


def _row(task: OwnerTask, person: Person, owner: str | None, now: datetime) -> dict[str, Any]:
    return {"id": task.id, "lead_id": task.lead_id, "lead": _person_name(person), "title": task.title,
            "notes": task.notes, "source": task.source, "owner": owner, "created_at": task.created_at,
            "due_at": task.due_at, "left": (task.due_at - now).total_seconds() if task.due_at else None}


def open_tasks(session: Session, user: User | None, *, now: datetime) -> dict[str, Any]:
    """The open tasks `user` has to do (or oversees), soonest due first: up to PAGE rows and the whole count."""
    query = (_tasks_for(session, user).where(OwnerTask.done_at.is_(None))
             .join(Person, Person.id == Lead.person_id).outerjoin(User, User.id == OwnerTask.owner_id)
             .with_only_columns(OwnerTask, Person, User.email)
             .order_by(OwnerTask.due_at.is_(None), OwnerTask.due_at, OwnerTask.id).limit(PAGE))
    rows = [_row(task, person, owner, now) for task, person, owner in session.execute(query)]
    total = len(rows) if len(rows) < PAGE else session.scalar(
        _tasks_for(session, user).where(OwnerTask.done_at.is_(None)).with_only_columns(func.count(OwnerTask.id)))
    return {"rows": rows, "total": total}


def as_json(row: dict[str, Any]) -> dict[str, Any]:
    """A task row as the API and `revteam tasks list --json` give it."""
    return {**row, **{name: row[name] and row[name].isoformat() for name in ("created_at", "due_at")}}


def complete_task(session: Session, *, task_id: int, actor: User, now: datetime) -> OwnerTask:
    """The actor did the task: it is closed, and the touch it stood for is recorded on the lead. NotFound
    for a task the actor may not see; Conflict when it was done already (or by someone else meanwhile)."""
    task = session.scalar(_tasks_for(session, actor).where(OwnerTask.id == task_id))
    if task is None:
        raise NotFound(f"no task {task_id}")
    require_may_act(session, actor, lead_id=task.lead_id, action="work", verb="do a task on", rep_id=task.owner_id)
    closed = session.execute(update(OwnerTask).where(OwnerTask.id == task.id, OwnerTask.done_at.is_(None))
                             .values(done_at=now, done_by=actor.email).execution_options(synchronize_session=False))
    if closed.rowcount != 1:
        session.refresh(task)
        raise Conflict(f"task {task.id} was done already, by {task.done_by} at {task.done_at:%Y-%m-%d %H:%M} UTC")
    session.refresh(task)
    lead = session.get(Lead, task.lead_id)
    session.add(Activity(person_id=lead.person_id, lead_id=lead.id, type=TASK_ACTIVITY, at=now, source=task.source))
    record(session, type=DONE_EVENT, subject_type="lead", subject_id=lead.id, actor=actor.email, at=now,
           data={"task": task.id, "title": task.title, "source": task.source, "activity": TASK_ACTIVITY})
    return task
